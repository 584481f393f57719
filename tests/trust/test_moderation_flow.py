"""Moderation with trust: who may see the queue, reasons shown, hide / warn / points / suspend, appeals."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from nichely.accounts.models import User
from nichely.community.models import ModerationAction
from nichely.trust import service
from nichely.trust.models import TrustScore
from nichely.trust.scores import SUSPEND_AT

AD = {"title": "You NEED this", "body": "Use my code SHOE20 for 20% off, only this week!!! Link in bio."}


@pytest.fixture
def flagged(client, make_user, make_token, make_shop, make_product):  # type: ignore[no-untyped-def]
    """A manager's undisclosed ad, posted through the API, and the manager's headers."""
    manager = make_user(roles=["manager", "creator"])
    product = make_product(shop=make_shop(manager=manager))
    headers = make_token(manager)
    note = client.post("/api/v1/notes", headers=headers, json={**AD, "product_ids": [product.id]}).json()
    return note, manager, headers


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/moderation/queue"),
        ("GET", "/api/v1/moderation/appeals"),
        ("POST", "/api/v1/moderation/notes/{id}/clear"),
        ("POST", "/api/v1/moderation/users/1/warn"),
        ("POST", "/api/v1/moderation/users/1/points"),
        ("POST", "/api/v1/moderation/users/1/clear"),
        ("POST", "/api/v1/moderation/appeals/1/accept"),
    ],
)
def test_shoppers_may_not_see_or_act_on_the_queue(client, make_user, make_token, flagged, method, path):
    note, _, _ = flagged
    shopper = make_token(make_user(roles=["shopper"]))
    body = {"reason": "x", "points": 1}
    assert client.request(method, path.format(id=note["id"]), json=body, headers=shopper).status_code == 403
    assert client.request(method, path.format(id=note["id"]), json=body).status_code == 401


def test_moderators_see_automatic_flags_and_reports_with_scores_and_reasons(
    client, make_user, make_token, flagged
):
    note, manager, _ = flagged
    # given a reader's report on the flagged note
    reader = make_token(make_user())
    assert (
        client.post(f"/api/v1/notes/{note['id']}/report", headers=reader, json={"reason": "ad"}).status_code
        == 201
    )
    # when a moderator opens the queue
    mod = make_token(make_user(roles=["moderator"]))
    items = client.get("/api/v1/moderation/queue", headers=mod).json()["items"]
    # then the note is there once, with the report, the flag's reasons and the trust reasons
    (item,) = items
    assert item["note"]["id"] == note["id"]
    assert [r["reason"] for r in item["reports"]] == ["ad"]
    (flag,) = item["flags"]
    assert flag["kind"] == "undisclosed_ad"
    assert any("SHOE20" in r for r in flag["reasons"])
    assert any("manages" in r for r in flag["reasons"])
    assert item["trust"]["score"] < 0.5
    assert any("undisclosed ad" in r for r in item["trust"]["reasons"])
    assert any("1 open report(s)" in r for r in item["trust"]["reasons"])
    assert item["author_trust"]["reasons"]


def test_clear_removes_the_note_from_the_queue_and_restores_its_trust(
    client, db, make_user, make_token, flagged
):
    note, _, _ = flagged
    mod = make_token(make_user(roles=["moderator"]))
    with db.read() as session:
        before = service.trust_for_notes(session, [note["id"]])[note["id"]]
    r = client.post(
        f"/api/v1/moderation/notes/{note['id']}/clear", headers=mod, json={"reason": "real review"}
    )
    assert r.status_code == 200
    assert r.json()["action"] == "clear"
    assert client.get("/api/v1/moderation/queue", headers=mod).json()["items"] == []
    with db.read() as session:
        assert service.trust_for_notes(session, [note["id"]])[note["id"]] > before
    # and a recompute does not reopen a flag a moderator cleared
    service.score_all(db)
    assert client.get("/api/v1/moderation/queue", headers=mod).json()["items"] == []


def test_hide_gives_points_lowers_reach_and_enough_points_suspend(client, db, make_user, make_token, flagged):
    note, manager, headers = flagged
    mod = make_token(make_user(roles=["moderator"]))
    other = client.post(
        "/api/v1/notes", headers=headers, json={"title": "Our lab", "body": "How we test soles."}
    ).json()
    with db.read() as session:
        before = service.trust_for_notes(session, [other["id"]])[other["id"]]
    # when the ad is hidden (2 points by default)
    r = client.post(
        f"/api/v1/moderation/notes/{note['id']}/hide", headers=mod, json={"reason": "undisclosed ad"}
    )
    assert r.status_code == 200
    # then it is gone from lists and search, and the author's other notes rank lower
    assert note["id"] not in [n["id"] for n in client.get("/api/v1/notes").json()["items"]]
    found = client.get("/api/v1/search", params={"q": "SHOE20", "type": "notes"}).json()["items"]
    assert note["id"] not in [n["id"] for n in found]
    with db.read() as session:
        assert service.trust_for_notes(session, [other["id"]])[other["id"]] < before
        assert service.current_points(session, manager.id) == pytest.approx(2.0, abs=0.01)
    # when points reach the threshold, the account is suspended, on the record
    r = client.post(
        f"/api/v1/moderation/users/{manager.id}/points",
        headers=mod,
        json={"points": SUSPEND_AT, "reason": "repeat"},
    )
    assert r.status_code == 200
    with db.read() as session:
        assert session.get(User, manager.id).status == "suspended"
        actions = list(session.scalars(select(ModerationAction.action).order_by(ModerationAction.id)))
        assert service.trust_for_users(session, [manager.id])[manager.id] == 0.0
    assert actions == ["hide_note", "add_points", "suspend"]
    # and the suspended account can no longer post
    assert client.post("/api/v1/notes", headers=headers, json=AD).status_code == 401


@pytest.mark.parametrize("points", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("path", ["notes/{note}/hide", "users/{user}/warn", "users/{user}/points"])
def test_points_that_are_not_finite_are_refused_as_such(
    client, db, make_user, make_token, flagged, points, path
):
    note, manager, _ = flagged
    mod = make_token(make_user(roles=["moderator"]))
    # when a moderator sends NaN or an infinity as violation points (JSON as Python writes it)
    r = client.post(
        "/api/v1/moderation/" + path.format(note=note["id"], user=manager.id),
        headers={**mod, "Content-Type": "application/json"},
        content=f'{{"reason": "undisclosed ad", "points": {points}}}',
    )
    # then the 422 says the points must be a finite number, not that they are out of range
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "points"
    assert "finite number" in error["message"]
    assert "than" not in error["message"]
    # and nothing was decided
    with db.read() as session:
        assert list(session.scalars(select(ModerationAction.id))) == []
        assert service.current_points(session, manager.id) == 0


def test_appeal_of_a_hidden_note_accepted_restores_it_and_voids_the_points(
    client, db, make_user, make_token, flagged
):
    note, manager, headers = flagged
    mod = make_token(make_user(roles=["moderator"]))
    client.post(f"/api/v1/moderation/notes/{note['id']}/hide", headers=mod, json={"reason": "ad"})
    # someone else may not appeal it, and there is nothing to appeal on a clean note
    stranger = make_token(make_user())
    assert (
        client.post(f"/api/v1/notes/{note['id']}/appeal", headers=stranger, json={"reason": "x"}).status_code
        == 404
    )
    # when the author appeals
    r = client.post(
        f"/api/v1/notes/{note['id']}/appeal", headers=headers, json={"reason": "it was a joke code"}
    )
    assert r.status_code == 201
    appeal_id = r.json()["id"]
    assert (
        client.post(
            f"/api/v1/notes/{note['id']}/appeal", headers=headers, json={"reason": "again"}
        ).status_code
        == 409
    )
    # then moderators see it with the decision appealed
    (item,) = client.get("/api/v1/moderation/appeals", headers=mod).json()["items"]
    assert (item["id"], item["action"], item["action_reason"], item["reason"]) == (
        appeal_id,
        "hide_note",
        "ad",
        "it was a joke code",
    )
    # when a moderator accepts it, the note is back and the points are void
    r = client.post(f"/api/v1/moderation/appeals/{appeal_id}/accept", headers=mod, json={"reason": "fair"})
    assert r.status_code == 200
    assert r.json()["action"] == "appeal_accepted"
    assert client.get(f"/api/v1/notes/{note['id']}").status_code == 200
    with db.read() as session:
        assert service.current_points(session, manager.id) == 0
    assert client.get("/api/v1/moderation/appeals", headers=mod).json()["items"] == []
    assert (
        client.post(
            f"/api/v1/moderation/appeals/{appeal_id}/reject", headers=mod, json={"reason": "x"}
        ).status_code
        == 409
    )


def test_appeal_of_a_warning_rejected_keeps_the_points(client, db, make_user, make_token, flagged):
    note, manager, headers = flagged
    mod = make_token(make_user(roles=["moderator"]))
    r = client.post(
        f"/api/v1/moderation/users/{manager.id}/warn",
        headers=mod,
        json={"reason": "declare sponsorships", "note_id": note["id"], "points": 1},
    )
    assert r.status_code == 200
    assert r.json()["action"] == "warn"
    appeal_id = client.post(
        f"/api/v1/notes/{note['id']}/appeal", headers=headers, json={"reason": "no"}
    ).json()["id"]
    r = client.post(
        f"/api/v1/moderation/appeals/{appeal_id}/reject", headers=mod, json={"reason": "it is an ad"}
    )
    assert r.json()["action"] == "appeal_rejected"
    with db.read() as session:
        assert service.current_points(session, manager.id) == pytest.approx(1.0, abs=0.01)
    rejected = client.get("/api/v1/moderation/appeals", params={"status": "rejected"}, headers=mod).json()[
        "items"
    ]
    assert [a["decision_reason"] for a in rejected] == ["it is an ad"]


def test_ring_accounts_are_listed_for_moderators_and_can_be_cleared(client, db, make_user, make_token):
    from nichely.demo import seed_demo

    manifest = seed_demo(db, seed=7, scale=0.03)
    service.score_all(db)
    mod = make_token(make_user(roles=["moderator"]))
    accounts = client.get("/api/v1/moderation/queue", headers=mod).json()["accounts"]
    assert {a["user"]["id"] for a in accounts} == set(manifest.ring_user_ids)
    assert all(a["flags"][0]["kind"] == "ring" and a["flags"][0]["reasons"] for a in accounts)
    first = manifest.ring_user_ids[0]
    assert (
        client.post(
            f"/api/v1/moderation/users/{first}/clear", headers=mod, json={"reason": "checked"}
        ).status_code
        == 200
    )
    accounts = client.get("/api/v1/moderation/queue", headers=mod).json()["accounts"]
    assert first not in {a["user"]["id"] for a in accounts}


def _queue_ids(client, headers, **params):  # type: ignore[no-untyped-def]
    """Every note id in the queue, following next_cursor page by page."""
    ids, cursor = [], None
    while True:
        body = client.get(
            "/api/v1/moderation/queue",
            headers=headers,
            params={**params, **({"cursor": cursor} if cursor else {})},
        ).json()
        ids += [item["note"]["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids


def test_queue_lists_the_riskiest_first_and_pages_without_repeats(
    client, db, make_user, make_token, make_note
):
    """Issue "Authenticity": moderators see the lowest trust and most reports first, ties newest."""
    # given five reported notes (oldest first) whose trust the scorer put at known values
    notes = [make_note(title=f"Queue note {i}") for i in range(5)]
    trust = {0: 0.2, 1: 0.6, 2: 0.2, 3: None, 4: 0.2}
    reports = {0: 1, 1: 1, 2: 2, 3: 1, 4: 1}
    for i, note in enumerate(notes):
        for _ in range(reports[i]):
            reader = make_token(make_user())
            assert (
                client.post(
                    f"/api/v1/notes/{note.id}/report", headers=reader, json={"reason": "odd"}
                ).status_code
                == 201
            )
    with db.write() as session:
        session.execute(delete(TrustScore).where(TrustScore.kind == "note"))
        for i, score in trust.items():
            if score is not None:
                session.add(TrustScore(kind="note", ref_id=notes[i].id, score=score, reasons=[]))
    mod = make_token(make_user(roles=["moderator"]))
    # when a moderator reads the queue two notes at a time
    riskiest = _queue_ids(client, mod, limit=2)
    # then the lowest trust comes first, more reports before fewer, newer before older, unscored
    # notes count as neutral (0.5), and no note is repeated or skipped across pages
    expected = [notes[i].id for i in (2, 4, 0, 3, 1)]
    assert riskiest == expected
    assert client.get("/api/v1/moderation/queue", headers=mod).json()["items"][0]["note"]["id"] == notes[2].id
    # and newest first is still there on request
    assert _queue_ids(client, mod, limit=2, sort="newest") == [n.id for n in reversed(notes)]
    # when a note on the first page is decided before the next page is read
    first = client.get("/api/v1/moderation/queue", headers=mod, params={"limit": 2}).json()
    client.post(f"/api/v1/moderation/notes/{notes[4].id}/clear", headers=mod, json={"reason": "fine"})
    rest = _queue_ids(client, mod, limit=2, cursor=first["next_cursor"])
    # then the next page starts right after the last note shown, skipping nothing
    assert rest == [notes[i].id for i in (0, 3, 1)]


@pytest.mark.parametrize(
    "params", [{"sort": "oldest"}, {"cursor": "not-a-cursor"}, {"cursor": "eyJrZXkiOiBbMSwgMl19"}]
)
def test_bad_queue_sort_or_cursor_is_a_clear_422(client, make_user, make_token, params):
    mod = make_token(make_user(roles=["moderator"]))
    r = client.get("/api/v1/moderation/queue", headers=mod, params=params)
    assert r.status_code == 422


def test_authors_read_their_decisions_and_appeal_status_through_the_api(
    client, make_user, make_token, flagged
):
    note, manager, headers = flagged
    mod = make_token(make_user(roles=["moderator"]))
    client.post(f"/api/v1/moderation/notes/{note['id']}/hide", headers=mod, json={"reason": "undisclosed ad"})
    # given the hide, the author sees it with its reason and may appeal it
    (item,) = client.get("/api/v1/me/decisions", headers=headers).json()["items"]
    assert (item["action"], item["reason"], item["note_id"], item["note_status"]) == (
        "hide_note",
        "undisclosed ad",
        note["id"],
        "hidden",
    )
    assert item["can_appeal"] is True
    assert item["appeal"] is None
    assert "moderator_id" not in item
    # when they appeal and a moderator rejects it
    appeal_id = client.post(
        f"/api/v1/notes/{note['id']}/appeal", headers=headers, json={"reason": "not an ad"}
    ).json()["id"]
    client.post(f"/api/v1/moderation/appeals/{appeal_id}/reject", headers=mod, json={"reason": "it is"})
    # then the author reads the outcome and the moderator's reason, and may not appeal again
    (item,) = client.get("/api/v1/me/decisions", headers=headers).json()["items"]
    assert (item["appeal"]["status"], item["appeal"]["decision_reason"]) == ("rejected", "it is")
    assert item["can_appeal"] is False
    # and nobody else sees them; anonymous callers are refused
    assert client.get("/api/v1/me/decisions", headers=make_token(make_user())).json()["items"] == []
    assert client.get("/api/v1/me/decisions").status_code == 401
