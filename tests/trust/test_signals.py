"""Undisclosed-ad detection: planted ads in three languages, and honest notes that must pass."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from nichely.trust import service
from nichely.trust.models import TrustFlag
from nichely.trust.signals import AdContext, NoteFacts, ShopPost, assess_ad, pushed_notes, text_signals

SHOP = 7
MANAGER = 70


def _ctx() -> AdContext:
    return AdContext(managers={SHOP: MANAGER}, shop_names={SHOP: "Otter Run Co."})


def test_manager_posting_a_coupon_code_without_disclosure_is_flagged_with_reasons():
    # given the shop's own manager praising its product with a code and no declaration
    facts = NoteFacts(
        1, MANAGER, "LIFE CHANGING shoes!! Use my code OTTERRUN20 for 20% off", "none", frozenset({SHOP})
    )
    # when it is assessed
    verdict = assess_ad(facts, _ctx())
    # then it is flagged, and every reason is readable
    assert verdict.flagged
    assert any("manages Otter Run Co." in r for r in verdict.reasons)
    assert any("OTTERRUN20" in r for r in verdict.reasons)
    assert any("20% off" in r for r in verdict.reasons)


def test_chinese_and_spanish_promotions_are_recognised():
    zh = text_signals("真的改变生活，闪购别错过，优惠码OTTER25。链接在主页")
    es = text_signals("¡¡Usa mi código OTTER15 para un 20% de descuento, solo esta semana!! Enlace en la bio")
    assert {"coupon_code", "coupon_words", "urgency", "link_in_bio"} <= {s.name for s in zh}
    assert {"coupon_code", "coupon_words", "discount", "urgency", "link_in_bio"} <= {s.name for s in es}


def test_disclosed_or_ordinary_notes_are_not_flagged():
    ctx = _ctx()
    # a sponsored note that says so
    disclosed = NoteFacts(2, MANAGER, "Use code OTTERRUN20 for 20% off", "sponsored", frozenset({SHOP}))
    # an honest review that mentions a size, a price and a sale
    honest = NoteFacts(3, 5, "Bought the 42 wide for 89.00 in a sale. Grippy on wet rock, roomy toe box.")
    # a manager describing their own product plainly: one weak hint is not enough
    plain = NoteFacts(4, MANAGER, "How we test the sole on wet rock", "none", frozenset({SHOP}))
    assert not assess_ad(disclosed, ctx).flagged
    assert not assess_ad(honest, ctx).flagged
    assert not assess_ad(plain, ctx).flagged


def test_a_past_sponsor_with_a_link_is_flagged():
    ctx = _ctx()
    ctx.declared = {9: {SHOP}}
    facts = NoteFacts(
        5, 9, "My favourite trail shoe, more at https://otter.example/shop", "none", frozenset({SHOP})
    )
    verdict = assess_ad(facts, ctx)
    assert verdict.flagged
    assert any("declared sponsorship by Otter Run Co." in r for r in verdict.reasons)


def test_a_shop_pushed_by_many_new_accounts_in_a_short_window():
    start = datetime(2026, 5, 1)
    burst = [
        ShopPost(i, 100 + i, SHOP, start + timedelta(hours=i), start - timedelta(days=2)) for i in range(6)
    ]
    old = [
        ShopPost(50 + i, 200 + i, SHOP, start + timedelta(days=i * 3), start - timedelta(days=400))
        for i in range(6)
    ]
    pushed = pushed_notes(burst + old, {SHOP: "Otter Run Co."})
    assert set(pushed) == {p.note_id for p in burst}
    assert "6 accounts under 30 days old posted about Otter Run Co. within 48 hours" in pushed[0]


def test_a_new_undisclosed_ad_is_flagged_when_posted_through_the_api(
    client, db, make_user, make_token, make_shop, make_product
):
    # given a shop manager and one of their products
    manager = make_user(roles=["manager", "creator"])
    product = make_product(shop=make_shop(manager=manager))
    # when the manager posts an ad for it without declaring it
    r = client.post(
        "/api/v1/notes",
        headers=make_token(manager),
        json={
            "title": "You NEED this",
            "body": "Link in bio, code SHOE30 gets you free shipping!",
            "product_ids": [product.id],
        },
    )
    assert r.status_code == 201
    note_id = r.json()["id"]
    # then the note carries an open flag and a lowered trust score
    with db.read() as session:
        flag = session.scalar(select(TrustFlag).where(TrustFlag.subject_id == note_id))
        assert flag is not None
        assert flag.kind == "undisclosed_ad"
        assert flag.status == "open"
        assert service.trust_for_notes(session, [note_id])[note_id] < 0.5
