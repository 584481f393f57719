"""The /moderation page shows flags with their reasons to moderators, and nothing to shoppers; authors
read decisions about their notes and appeal them from the note page or /me/decisions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from nichely.accounts import service as accounts
from nichely.community.models import Report
from nichely.trust import review
from nichely.trust.models import Appeal, TrustScore
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


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(client, path):  # type: ignore[no-untyped-def]
    match = CSRF_FIELD.search(client.get(path).text)
    assert match, f"{path} has no form with a CSRF token"
    return match.group(1)


def _post(client, path, data, page):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": _csrf(client, page)}, follow_redirects=False)


@pytest.fixture
def hidden(client, db, make_user, make_note):  # type: ignore[no-untyped-def]
    """A note a moderator hid with a reason, its author and the moderator."""
    author = make_user()
    note = make_note(author=author, title="Night market sandals", body="Comfy for a long walk.")
    moderator = make_user(roles=["moderator"])
    with db.write() as session:
        review.hide_note(session, moderator, note.id, "looks like an undisclosed ad")
    return note, author, moderator


def test_author_appeals_a_hidden_note_from_its_page_and_reads_the_answer(client, db, hidden):
    """Issue "Authenticity": appeals from the page, not only through the API."""
    note, author, moderator = hidden
    # given the author on their hidden note's page: the decision, its reason and the appeal form
    _log_in(client, db, author)
    html = client.get(f"/notes/{note.id}").text
    assert "A moderator hid this note." in html
    assert "looks like an undisclosed ad" in html
    assert f'action="/notes/{note.id}/appeal"' in html
    # when they send an empty reason, the page says why and nothing is recorded
    r = _post(client, f"/notes/{note.id}/appeal", {"reason": " "}, f"/notes/{note.id}")
    assert r.status_code == 422
    assert "reason must not be empty" in r.text
    # when they appeal with a reason
    r = _post(client, f"/notes/{note.id}/appeal", {"reason": "I paid for them myself"}, f"/notes/{note.id}")
    assert r.status_code == 303
    assert r.headers["location"] == f"/notes/{note.id}#moderation"
    # then the note page and their decisions page say the appeal is pending, without a second form
    html = client.get(f"/notes/{note.id}").text
    assert "Your appeal is pending" in html
    assert "I paid for them myself" in html
    assert f'action="/notes/{note.id}/appeal"' not in html
    assert "Your appeal is pending" in client.get("/me/decisions").text
    # and a second appeal of the same decision is refused with a clear message
    r = _post(client, f"/notes/{note.id}/appeal", {"reason": "again"}, "/me/decisions")
    assert r.status_code == 409
    assert "this decision has already been appealed" in r.text
    # when a moderator rejects it on the moderation page
    _log_in(client, db, moderator)
    page = client.get("/moderation").text
    assert "I paid for them myself" in page
    with db.read() as session:
        (appeal_id,) = session.scalars(select(Appeal.id).where(Appeal.note_id == note.id))
    r = _post(
        client,
        f"/moderation/appeals/{appeal_id}/reject",
        {"reason": "the code is an affiliate link"},
        "/moderation",
    )
    assert r.status_code == 303
    assert "No open appeals." in client.get("/moderation").text
    # then the author reads the outcome and the moderator's reason, and the note stays hidden
    _log_in(client, db, author)
    html = client.get(f"/notes/{note.id}").text
    assert "Your appeal was rejected." in html
    assert "the code is an affiliate link" in html
    assert "A moderator has hidden this note" in html


def test_accepted_appeal_brings_the_note_back_and_says_so(client, db, hidden):
    note, author, moderator = hidden
    _log_in(client, db, author)
    _post(client, f"/notes/{note.id}/appeal", {"reason": "my own purchase"}, f"/notes/{note.id}")
    _log_in(client, db, moderator)
    with db.read() as session:
        (appeal_id,) = session.scalars(select(Appeal.id).where(Appeal.note_id == note.id))
    assert (
        _post(
            client, f"/moderation/appeals/{appeal_id}/accept", {"reason": "fair"}, "/moderation"
        ).status_code
        == 303
    )
    # an unknown decision is not taken as a rejection
    assert (
        _post(client, f"/moderation/appeals/{appeal_id}/maybe", {"reason": "x"}, "/moderation").status_code
        == 404
    )
    _log_in(client, db, author)
    html = client.get("/me/decisions").text
    assert "Your appeal was accepted." in html
    assert "fair" in html
    client.cookies.clear()
    assert client.get(f"/notes/{note.id}").status_code == 200


def test_only_the_author_may_appeal_and_only_moderators_decide(client, db, make_user, hidden):
    note, author, _ = hidden
    # a visitor who is not logged in is sent to log in, for the form and the decisions page
    r = _post(client, f"/notes/{note.id}/appeal", {"reason": "x"}, "/login")
    assert r.status_code in (302, 303)
    assert r.headers["location"].startswith("/login")
    assert client.get("/me/decisions", follow_redirects=False).headers["location"].startswith("/login")
    # without the CSRF token the form is refused
    _log_in(client, db, author)
    assert (
        client.post(f"/notes/{note.id}/appeal", data={"reason": "x"}, follow_redirects=False).status_code
        == 403
    )
    # someone else neither sees the hidden note nor may appeal it
    stranger = make_user()
    _log_in(client, db, stranger)
    assert client.get(f"/notes/{note.id}").status_code == 404
    assert _post(client, f"/notes/{note.id}/appeal", {"reason": "x"}, "/me/decisions").status_code == 404
    assert "No moderator has acted on your notes." in client.get("/me/decisions").text
    # and a shopper may not decide appeals
    assert _post(client, "/moderation/appeals/1/accept", {"reason": "x"}, "/me/decisions").status_code == 403


def test_warned_author_sees_the_warning_on_their_published_note(client, db, make_user, make_note):
    author = make_user()
    note = make_note(author=author, title="Desk lamp for dorms")
    moderator = make_user(roles=["moderator"])
    with db.write() as session:
        review.warn(session, moderator, author.id, "declare the gifted lamp", note_id=note.id)
    _log_in(client, db, author)
    html = client.get(f"/notes/{note.id}").text
    assert "A moderator warned you about this note." in html
    assert "declare the gifted lamp" in html
    # readers see the note but not the decision
    _log_in(client, db, make_user())
    html = client.get(f"/notes/{note.id}").text
    assert "Desk lamp for dorms" in html
    assert "declare the gifted lamp" not in html


def test_the_queue_page_sorts_riskiest_first_or_newest_first(client, db, make_user, make_note):
    notes = [make_note(title=f"Sortable note {i}") for i in range(2)]
    with db.write() as session:
        reader = make_user()
        for note in notes:
            session.add(Report(note_id=note.id, reporter_id=reader.id, reason="odd", status="open"))
        session.add(TrustScore(kind="note", ref_id=notes[0].id, score=0.1, reasons=[]))
        session.add(TrustScore(kind="note", ref_id=notes[1].id, score=0.9, reasons=[]))
    _log_in(client, db, make_user(roles=["moderator"]))
    html = client.get("/moderation").text
    assert html.index("Sortable note 0") < html.index("Sortable note 1")
    assert 'href="/moderation?sort=newest"' in html
    html = client.get("/moderation?sort=newest").text
    assert html.index("Sortable note 1") < html.index("Sortable note 0")


def test_appeal_pages_are_translated(client, db, hidden):
    note, author, _ = hidden
    _log_in(client, db, author)
    client.cookies.set("lang", "zh")
    assert "管理员隐藏了这篇笔记。" in client.get(f"/notes/{note.id}").text
    assert "我收到的管理处理" in client.get("/me/decisions").text
    client.cookies.set("lang", "es")
    assert "Apelar esta decisión" in client.get(f"/notes/{note.id}").text


def test_a_decision_returns_to_the_queue_in_the_order_the_moderator_chose(client, db, make_user, make_note):
    notes = [make_note(title=f"Reported note {i}") for i in range(2)]
    with db.write() as session:
        reader = make_user()
        for note in notes:
            session.add(Report(note_id=note.id, reporter_id=reader.id, reason="odd", status="open"))
    _log_in(client, db, make_user(roles=["moderator"]))
    r = _post(
        client,
        f"/moderation/notes/{notes[0].id}/clear",
        {"reason": "fine", "next": "/moderation?sort=newest"},
        "/moderation?sort=newest",
    )
    assert r.headers["location"] == "/moderation?sort=newest"
    # a return address outside the moderation page is not followed
    r = _post(
        client,
        f"/moderation/notes/{notes[1].id}/clear",
        {"reason": "fine", "next": "//evil.example"},
        "/moderation",
    )
    assert r.headers["location"] == "/moderation"
