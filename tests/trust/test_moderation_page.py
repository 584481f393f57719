"""The /moderation page shows flags with their reasons to moderators, and nothing to shoppers."""

from __future__ import annotations

from nichely.accounts import service as accounts
from nichely.web.deps import SESSION_COOKIE


def _log_in(client, db, user):  # type: ignore[no-untyped-def]
    with db.write() as session:
        client.cookies.set(SESSION_COOKIE, accounts.issue_token(session, user, "session", 1))


def test_moderators_see_flag_reasons_and_trust_on_the_page(
    client, db, make_user, make_token, make_shop, make_product
):
    # given a manager's undisclosed ad, flagged when it was posted
    manager = make_user(roles=["manager"])
    product = make_product(shop=make_shop(manager=manager))
    client.post(
        "/api/v1/notes",
        headers=make_token(manager),
        json={"title": "Best deal", "body": "优惠码SHOE20立减20%，链接在主页！", "product_ids": [product.id]},
    )
    # when a shopper opens the page, they are refused
    _log_in(client, db, make_user(roles=["shopper"]))
    assert client.get("/moderation").status_code == 403
    # when a moderator opens it
    _log_in(client, db, make_user(roles=["moderator"]))
    html = client.get("/moderation").text
    # then the flag, its reasons and the trust score are on the page, with the actions
    assert "Best deal" in html
    assert "SHOE20" in html
    assert "the author manages" in html
    assert "Note trust" in html
    assert 'action="/moderation/notes/' in html
    assert "/clear" in html


def test_the_page_is_translated_for_moderators(client, db, make_user):
    _log_in(client, db, make_user(roles=["moderator"]))
    client.cookies.set("lang", "zh")
    html = client.get("/moderation").text
    assert "被标记的笔记" in html
    assert "暂无待处理的申诉。" in html
