from nichely.community.models import Collection, CollectionItem


def test_create_fill_and_view_a_collection(client, make_user, make_token, make_note):
    # given a person and a note
    owner = make_user()
    headers = make_token(owner)
    note = make_note()
    # when they make a collection and add the note
    r = client.post("/api/v1/collections", headers=headers, json={"name": "Trail kit"})
    assert r.status_code == 201
    shelf = r.json()["id"]
    r = client.post(f"/api/v1/collections/{shelf}/notes", headers=headers, json={"note_id": note.id})
    assert r.json()["changed"] is True
    # then anyone sees it with the note, and it is in the owner's list
    view = client.get(f"/api/v1/collections/{shelf}").json()
    assert [n["id"] for n in view["notes"]] == [note.id]
    assert view["note_count"] == 1
    assert [c["name"] for c in client.get("/api/v1/me/collections", headers=headers).json()["items"]] == [
        "Trail kit"
    ]
    # and removing the note empties it
    client.delete(f"/api/v1/collections/{shelf}/notes/{note.id}", headers=headers)
    assert client.get(f"/api/v1/collections/{shelf}").json()["notes"] == []


def test_private_collection_is_404_to_others(client, make_user, make_token):
    owner = make_user()
    r = client.post(
        "/api/v1/collections", headers=make_token(owner), json={"name": "Gifts", "is_public": False}
    )
    shelf = r.json()["id"]
    assert client.get(f"/api/v1/collections/{shelf}").status_code == 404
    assert client.get(f"/api/v1/collections/{shelf}", headers=make_token(make_user())).status_code == 404
    assert client.get(f"/api/v1/collections/{shelf}", headers=make_token(owner)).status_code == 200
    assert client.get(f"/api/v1/users/{owner.id}/collections").json()["items"] == []


def test_collection_changes_refuse_anonymous_and_strangers(client, db, make_user, make_token, make_note):
    # given someone's public collection
    owner = make_user()
    note = make_note()
    shelf = client.post("/api/v1/collections", headers=make_token(owner), json={"name": "Mine"}).json()["id"]
    stranger = make_token(make_user())
    # when others try to change it, then they are refused
    assert client.post("/api/v1/collections", json={"name": "x"}).status_code == 401
    assert client.get("/api/v1/me/collections").status_code == 401
    for method, url, body in [
        ("POST", f"/api/v1/collections/{shelf}/notes", {"note_id": note.id}),
        ("DELETE", f"/api/v1/collections/{shelf}/notes/{note.id}", None),
        ("PATCH", f"/api/v1/collections/{shelf}", {"name": "Theirs"}),
        ("DELETE", f"/api/v1/collections/{shelf}", None),
    ]:
        assert client.request(method, url, json=body).status_code == 401
        assert client.request(method, url, json=body, headers=stranger).status_code == 403
    # and nothing changed
    with db.read() as session:
        assert session.get(Collection, shelf).name == "Mine"
        assert session.query(CollectionItem).count() == 0


def test_bad_collection_input_is_422_or_409(client, make_user, make_token):
    headers = make_token(make_user())
    assert client.post("/api/v1/collections", headers=headers, json={"name": ""}).status_code == 422
    assert client.post("/api/v1/collections", headers=headers, json={"name": "x" * 81}).status_code == 422
    assert client.post("/api/v1/collections", headers=headers, json={"name": "Same"}).status_code == 201
    assert client.post("/api/v1/collections", headers=headers, json={"name": "Same"}).status_code == 409
    shelf = client.get("/api/v1/me/collections", headers=headers).json()["items"][0]["id"]
    r = client.post(f"/api/v1/collections/{shelf}/notes", headers=headers, json={"note_id": 999999})
    assert r.status_code == 404
