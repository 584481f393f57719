"""Trust scores: reasons, decay of violation points, the buyer-show badge, languages, the full run."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nichely.commerce import service as commerce
from nichely.demo import seed_demo
from nichely.trust import service, textmodels
from nichely.trust.detectors import TextDetector
from nichely.trust.models import TrustFlag, TrustScore
from nichely.trust.scores import (
    HALF_LIFE_DAYS,
    NoteEvidence,
    UserEvidence,
    decayed_points,
    note_score,
    user_score,
)


def test_violation_points_halve_every_half_life():
    assert decayed_points([(4.0, 0.0)]) == pytest.approx(4.0)
    assert decayed_points([(4.0, HALF_LIFE_DAYS)]) == pytest.approx(2.0)
    assert decayed_points([(4.0, 3 * HALF_LIFE_DAYS), (1.0, 0.0)]) == pytest.approx(1.5)


def test_points_lower_a_persons_trust_and_it_recovers_as_they_decay():
    fresh, reasons = user_score(UserEvidence(1, age_days=200, points=6.0))
    later, _ = user_score(UserEvidence(1, age_days=290, points=decayed_points([(6.0, 90)])))
    clean, _ = user_score(UserEvidence(1, age_days=200))
    assert fresh < later < clean
    assert any("violation points" in r for r in reasons)


def test_every_move_of_a_note_score_has_a_reason():
    score, reasons = note_score(
        NoteEvidence(
            1,
            author_score=0.4,
            ad_score=0.8,
            ad_reasons=["coupon-code pattern SAVE20"],
            duplicate_of=7,
            duplicate_similarity=0.9,
            open_reports=2,
        )
    )
    clean, _ = note_score(NoteEvidence(2, author_score=0.4))
    assert score < clean
    joined = " | ".join(reasons)
    for words in (
        "undisclosed ad",
        "SAVE20",
        "near-duplicate",
        "#7",
        "2 open report(s)",
        "author trust 0.40",
    ):
        assert words in joined


def test_buyer_show_badge_and_trust_change_on_refund(client, db, make_user, make_token, make_product):
    # given a buyer whose order was delivered, and their note about the product
    buyer = make_user()
    product = make_product()
    manager_id = None
    with db.write() as session:
        from nichely.accounts.models import User
        from nichely.catalog.models import Shop

        manager_id = session.get(Shop, product.shop_id).manager_id
        shopper = session.get(User, buyer.id)
        manager = session.get(User, manager_id)
        order, _ = commerce.place_order(session, shopper, [{"sku_id": product.skus[0].id, "quantity": 1}])
        for who, action in ((shopper, "pay"), (manager, "ship"), (manager, "deliver")):
            commerce.change_status(session, who, order.id, action)
    headers = make_token(buyer)
    note = client.post(
        "/api/v1/notes",
        headers=headers,
        json={"title": "Fits wide feet", "body": "Two weeks in, no blisters.", "product_ids": [product.id]},
    ).json()
    assert note["verified_purchase"] is True
    card = client.get("/api/v1/notes", params={"product_id": product.id}).json()["items"][0]
    assert card["verified_purchase"] is True
    with db.read() as session:
        before = service.trust_for_notes(session, [note["id"]])[note["id"]]
        reasons = session.get(TrustScore, ("note", note["id"])).reasons
    assert any("verified purchase" in r for r in reasons)
    # when the order is refunded and trust is recomputed
    with db.write() as session:
        from nichely.accounts.models import User

        commerce.change_status(session, session.get(User, manager_id), order.id, "refund")
        service.note_changed(session, note["id"])
    # then the badge is gone everywhere and the note's trust dropped
    assert client.get(f"/api/v1/notes/{note['id']}").json()["verified_purchase"] is False
    assert (
        client.get("/api/v1/notes", params={"product_id": product.id}).json()["items"][0]["verified_purchase"]
        is False
    )
    with db.read() as session:
        assert service.trust_for_notes(session, [note["id"]])[note["id"]] < before


def test_unscored_notes_and_people_read_as_neutral(db):
    with db.read() as session:
        assert service.trust_for_notes(session, [12345]) == {12345: 0.5}
        assert service.trust_for_users(session, []) == {}


def test_chinese_and_spanish_notes_pass_every_detector_and_english_only_models_say_so(
    db, make_note, tmp_path, monkeypatch
):
    # given an English-only text detector configured for the platform
    texts = [f"I bought this shoe and it is great number {i}" for i in range(8)] + [
        f"Amazing product best ever buy now {i}!!" for i in range(8)
    ]
    labels = ["truthful"] * 8 + ["deceptive"] * 8
    model = tmp_path / "deceptive.model"
    TextDetector("deceptive", folds=2).fit(texts, labels).save(model)
    monkeypatch.setenv(textmodels.ENV, str(model))
    # and notes in Chinese and Spanish, one of them promotional
    zh = make_note(title="宽脚跑鞋", body="优惠码SHOE20立减20%，链接在主页！真的改变生活。", language="zh")
    es = make_note(title="Zapatillas", body="Tengo el pie ancho y no me aprietan nada.", language="es")
    # when the store is scored
    summary = service.score_all(db)
    # then both are scored, the ad check worked in Chinese, and the detector says it skipped them
    assert summary.notes == 2
    assert summary.detector_note is None
    with db.read() as session:
        reasons = {i: session.get(TrustScore, ("note", i)).reasons for i in (zh.id, es.id)}
        flags = {f.subject_id: f.kind for f in session.scalars(select(TrustFlag))}
    assert flags == {zh.id: "undisclosed_ad"}
    assert any("trained on English" in r and "zh" in r for r in reasons[zh.id])
    assert any("trained on English" in r and "es" in r for r in reasons[es.id])


def test_without_a_model_the_detectors_are_skipped_with_a_reason(db, make_note, monkeypatch):
    monkeypatch.delenv(textmodels.ENV, raising=False)
    note = make_note()
    summary = service.score_all(db)
    with db.read() as session:
        reasons = session.get(TrustScore, ("note", note.id)).reasons
    assert summary.detector_note == textmodels.SKIPPED
    assert textmodels.SKIPPED in reasons


def test_full_run_on_the_demo_finds_the_planted_ads_and_copies(db):
    manifest = seed_demo(db, seed=5, scale=0.03)
    service.score_all(db)
    with db.read() as session:
        flags = list(session.scalars(select(TrustFlag).where(TrustFlag.subject_type == "note")))
        ads = {f.subject_id for f in flags if f.kind == "undisclosed_ad"}
        copies = {f.subject_id for f in flags if f.kind == "near_duplicate"}
        trust = service.trust_for_notes(session, manifest.undisclosed_ad_note_ids)
    assert ads == set(manifest.undisclosed_ad_note_ids)
    planted_copies = {i for group in manifest.near_duplicate_groups for i in group[1:]}
    assert planted_copies <= copies
    # the originals are not flagged
    assert not {group[0] for group in manifest.near_duplicate_groups} & copies
    assert max(trust.values()) < 0.5
    # a second run keeps the flags as they are (no duplicates, no reopening)
    service.score_all(db)
    with db.read() as session:
        assert len(list(session.scalars(select(TrustFlag).where(TrustFlag.subject_type == "note")))) == len(
            flags
        )
