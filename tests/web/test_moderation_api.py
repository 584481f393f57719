import pytest

from nichely.community.models import ModerationAction, Note, Report


def test_report_then_hide_then_restore(client, db, make_user, make_token, make_note):
    # given a reported note
    note = make_note(title="Too good to be true")
    reporter = make_user()
    r = client.post(
        f"/api/v1/notes/{note.id}/report", headers=make_token(reporter), json={"reason": "paid review"}
    )
    assert r.status_code == 201
    moderator = make_token(make_user(roles=["moderator"]))
    # when a moderator reads the queue
    queue = client.get("/api/v1/moderation/queue", headers=moderator).json()["items"]
    # then the report is there with its note
    assert [
        (r["reason"], q["note"]["title"], r["reporter"]["id"]) for q in queue for r in q["reports"]
    ] == [("paid review", "Too good to be true", reporter.id)]
    # when they hide it
    r = client.post(
        f"/api/v1/moderation/notes/{note.id}/hide", headers=moderator, json={"reason": "undisclosed ad"}
    )
    assert r.status_code == 200
    assert r.json()["action"] == "hide_note"
    # then it is gone for the public, the queue is empty, and the log has the decision
    assert client.get(f"/api/v1/notes/{note.id}").status_code == 404
    assert client.get("/api/v1/moderation/queue", headers=moderator).json()["items"] == []
    # and restoring brings it back, on the record
    r = client.post(
        f"/api/v1/moderation/notes/{note.id}/restore", headers=moderator, json={"reason": "appeal"}
    )
    assert r.status_code == 200
    assert client.get(f"/api/v1/notes/{note.id}").status_code == 200
    log = client.get("/api/v1/moderation/log", headers=moderator).json()["items"]
    assert [(e["action"], e["reason"]) for e in log] == [
        ("restore_note", "appeal"),
        ("hide_note", "undisclosed ad"),
    ]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/moderation/queue", None),
        ("GET", "/api/v1/moderation/log", None),
        ("POST", "/api/v1/moderation/notes/{id}/hide", {"reason": "x"}),
        ("POST", "/api/v1/moderation/notes/{id}/restore", {"reason": "x"}),
        ("POST", "/api/v1/moderation/reports/1/dismiss", {"reason": "x"}),
    ],
)
def test_moderation_refuses_anonymous_and_non_moderators(
    client, db, make_user, make_token, make_note, method, path, body
):
    note = make_note()
    url = path.format(id=note.id)
    assert client.request(method, url, json=body).status_code == 401
    assert (
        client.request(method, url, json=body, headers=make_token(make_user(roles=["creator"]))).status_code
        == 403
    )
    with db.read() as session:
        assert session.get(Note, note.id).status == "published"
        assert session.query(ModerationAction).count() == 0


def test_report_refuses_anonymous_and_empty_reasons(client, db, make_user, make_token, make_note):
    note = make_note()
    assert client.post(f"/api/v1/notes/{note.id}/report", json={"reason": "x"}).status_code == 401
    r = client.post(f"/api/v1/notes/{note.id}/report", headers=make_token(make_user()), json={"reason": " "})
    assert r.status_code == 422
    assert (
        client.post(
            "/api/v1/notes/999999/report", headers=make_token(make_user()), json={"reason": "x"}
        ).status_code
        == 404
    )
    with db.read() as session:
        assert session.query(Report).count() == 0


def test_hide_needs_a_reason_and_a_published_note(client, db, make_user, make_token, make_note):
    moderator = make_token(make_user(roles=["moderator"]))
    note = make_note()
    assert (
        client.post(
            f"/api/v1/moderation/notes/{note.id}/hide", headers=moderator, json={"reason": ""}
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/api/v1/moderation/notes/{note.id}/restore", headers=moderator, json={"reason": "x"}
        ).status_code
        == 409
    )
    assert (
        client.post(
            "/api/v1/moderation/notes/999999/hide", headers=moderator, json={"reason": "x"}
        ).status_code
        == 404
    )
    with db.read() as session:
        assert session.get(Note, note.id).status == "published"
