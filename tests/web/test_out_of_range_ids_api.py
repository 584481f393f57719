"""Ids no row can have (beyond the stores' integer columns) name nothing: a problem, never a 500."""

import pytest

from nichely.community.models import Note

HUGE = 10**21  # beyond SQLite's 64-bit integers, whose driver refuses it instead of finding nothing


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/notes/{huge}", None),
        ("PATCH", "/notes/{huge}", {"title": "x"}),
        ("DELETE", "/notes/{huge}", None),
        ("GET", "/notes/{huge}/comments", None),
        ("POST", "/notes/{huge}/comments", {"body": "hi"}),
        ("POST", "/notes/{huge}/reactions", {"kind": "like"}),
        ("POST", "/notes/{huge}/report", {"reason": "spam"}),
        ("GET", "/notes/{huge}/related", None),
        ("DELETE", "/comments/{huge}", None),
        ("GET", "/users/{huge}", None),
        ("GET", "/users/{huge}/notes", None),
        ("GET", "/users/{huge}/followers", None),
        ("GET", "/users/{huge}/similar", None),
        ("POST", "/users/{huge}/follow", None),
        ("GET", "/collections/{huge}", None),
        ("POST", "/collections/{huge}/notes", {"note_id": 1}),
        ("POST", "/search/{huge}/click", {"target_type": "product", "target_id": 1, "position": 0}),
    ],
)
def test_huge_ids_in_the_path_are_not_found(client, make_user, make_token, method, path, body):
    r = client.request(method, "/api/v1" + path.format(huge=HUGE), headers=make_token(make_user()), json=body)
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "path",
    [
        "/moderation/notes/{huge}/hide",
        "/moderation/users/{huge}/warn",
        "/moderation/reports/{huge}/dismiss",
    ],
)
def test_moderating_huge_ids_is_not_found(client, make_moderator, make_token, path):
    r = client.post(
        "/api/v1" + path.format(huge=HUGE), headers=make_token(make_moderator()), json={"reason": "x"}
    )
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "extra",
    [{"product_ids": [HUGE]}, {"disclosure": "sponsored", "sponsor_shop_id": HUGE}],
)
def test_a_note_naming_a_huge_id_is_refused_and_not_stored(client, db, make_user, make_token, extra):
    r = client.post(
        "/api/v1/notes", headers=make_token(make_user()), json={"title": "t", "body": "b", **extra}
    )
    assert r.status_code == 422, r.text
    assert r.json()["field"] in extra
    with db.read() as session:
        assert session.query(Note).count() == 0


def test_filters_on_a_huge_id_find_nothing(client, make_user, make_token, make_note):
    make_note()
    assert client.get("/api/v1/notes", params={"author_id": HUGE}).json()["items"] == []
    assert client.get("/api/v1/notes", params={"product_id": HUGE}).json()["items"] == []
    assert client.get(f"/api/v1/users/{HUGE}/collections").json()["items"] == []
    owner = make_token(make_user())
    collection = client.post("/api/v1/collections", headers=owner, json={"name": "keep"}).json()
    r = client.delete(f"/api/v1/collections/{collection['id']}/notes/{HUGE}", headers=owner)
    assert r.status_code == 200, r.text
