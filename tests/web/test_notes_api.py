import io

import pytest
from PIL import Image

from nichely.activity.models import Event
from nichely.community.models import Comment, Note, NotePhoto, Reaction


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _note_count(db) -> int:
    with db.read() as session:
        return session.query(Note).count()


def test_create_a_note_then_read_it(client, make_user, make_token, make_product, make_shop):
    # given a creator, a product and a sponsoring shop
    author = make_user(roles=["creator"])
    product = make_product()
    shop = make_shop()
    # when they publish a gifted note about the product
    r = client.post(
        "/api/v1/notes",
        headers=make_token(author),
        json={
            "title": "Three weeks in these",
            "body": "Roomy toe box, good on gravel.",
            "product_ids": [product.id],
            "tags": ["#Wide Feet", "wide feet", "跑鞋"],
            "disclosure": "gifted",
            "sponsor_shop_id": shop.id,
        },
    )
    # then it comes back with the fixed shape
    assert r.status_code == 201, r.text
    note = r.json()
    assert note["author"] == {
        "id": author.id,
        "username": author.username,
        "display_name": author.display_name,
    }
    assert (note["language"], note["disclosure"], note["sponsor_shop_id"]) == ("en", "gifted", shop.id)
    assert note["verified_purchase"] is False
    assert note["tags"] == ["wide feet", "跑鞋"]
    assert note["product_ids"] == [product.id]
    assert note["photos"] == []
    # and anyone can read it, with its product
    r = client.get(f"/api/v1/notes/{note['id']}")
    assert r.status_code == 200
    assert r.json()["products"][0]["title"] == product.title


def test_reading_while_signed_in_logs_a_view(client, db, make_user, make_token, make_note):
    note = make_note()
    reader = make_user()
    assert client.get(f"/api/v1/notes/{note.id}", headers=make_token(reader)).status_code == 200
    with db.read() as session:
        assert session.query(Event).filter_by(kind="view", user_id=reader.id, target_id=note.id).count() == 1


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"title": ""}, "title"),
        ({"body": "x" * 20001}, "body"),
        ({"language": "fr"}, "language"),
        ({"tags": [f"t{i}" for i in range(21)]}, "tags"),
        ({"product_ids": [999999]}, "product_ids"),
        ({"disclosure": "sponsored"}, "sponsor_shop_id"),
        ({"sponsor_shop_id": 1}, "disclosure"),
        ({"disclosure": "bribed"}, "disclosure"),
    ],
)
def test_bad_notes_get_a_problem_and_store_nothing(client, db, make_user, make_token, patch, field):
    # given an otherwise fine note
    body = {"title": "t", "body": "b", "language": "en", **patch}
    # when it is posted with one thing wrong
    r = client.post("/api/v1/notes", headers=make_token(make_user()), json=body)
    # then it is refused naming the field, and nothing is stored
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["field"] == field
    assert _note_count(db) == 0


def test_missing_product_is_named(client, make_user, make_token):
    r = client.post(
        "/api/v1/notes",
        headers=make_token(make_user()),
        json={"title": "t", "body": "b", "product_ids": [424242]},
    )
    assert r.status_code == 422
    assert r.json()["product_id"] == 424242
    assert "424242" in r.json()["detail"]


def test_language_is_detected_when_absent(client, make_user, make_token):
    r = client.post(
        "/api/v1/notes",
        headers=make_token(make_user()),
        json={"title": "Zapatos para pies anchos", "body": "Muy cómodos para la oficina"},
    )
    assert r.json()["language"] == "es"


def test_list_is_newest_first_and_paginated(client, make_note):
    ids = [make_note().id for _ in range(3)]
    first = client.get("/api/v1/notes", params={"limit": 2}).json()
    second = client.get("/api/v1/notes", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [n["id"] for n in first["items"] + second["items"]] == ids[::-1]
    assert second["next_cursor"] is None


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"cursor": "garbage"}, {"language": "xx"}])
def test_bad_list_parameters_are_422(client, params):
    assert client.get("/api/v1/notes", params=params).status_code == 422


def test_hidden_and_deleted_notes_are_404_except_to_author_and_moderators(
    client, make_user, make_token, make_note
):
    author = make_user()
    hidden = make_note(author=author, status="hidden")
    deleted = make_note(author=author, status="deleted")
    for note in (hidden, deleted):
        assert client.get(f"/api/v1/notes/{note.id}").status_code == 404
        assert client.get(f"/api/v1/notes/{note.id}", headers=make_token(make_user())).status_code == 404
        assert client.get(f"/api/v1/notes/{note.id}", headers=make_token(author)).status_code == 200
        moderator = make_user(roles=["moderator"])
        assert client.get(f"/api/v1/notes/{note.id}", headers=make_token(moderator)).status_code == 200
    assert client.get("/api/v1/notes").json()["items"] == []


def test_edit_and_delete_refuse_anonymous_and_strangers(client, db, make_user, make_token, make_note):
    # given someone's note
    author = make_user()
    note = make_note(author=author, title="Original")
    stranger = make_token(make_user())
    # when others try to change it, then they are refused
    assert client.patch(f"/api/v1/notes/{note.id}", json={"title": "x"}).status_code == 401
    assert client.patch(f"/api/v1/notes/{note.id}", headers=stranger, json={"title": "x"}).status_code == 403
    assert client.delete(f"/api/v1/notes/{note.id}").status_code == 401
    assert client.delete(f"/api/v1/notes/{note.id}", headers=stranger).status_code == 403
    assert client.post("/api/v1/notes", json={"title": "t", "body": "b"}).status_code == 401
    # and the note is untouched
    with db.read() as session:
        stored = session.get(Note, note.id)
        assert (stored.title, stored.status) == ("Original", "published")


def test_author_edits_only_what_is_sent_then_deletes(client, make_user, make_token, make_note, make_product):
    author = make_user()
    headers = make_token(author)
    note = make_note(author=author, title="Before", body="Keep me")
    product = make_product()
    r = client.patch(
        f"/api/v1/notes/{note.id}", headers=headers, json={"title": "After", "product_ids": [product.id]}
    )
    assert r.status_code == 200, r.text
    assert (r.json()["title"], r.json()["body"], r.json()["product_ids"]) == (
        "After",
        "Keep me",
        [product.id],
    )
    assert client.delete(f"/api/v1/notes/{note.id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/notes/{note.id}").status_code == 404
    assert client.patch(f"/api/v1/notes/{note.id}", headers=headers, json={"title": "x"}).status_code == 404


def test_photo_upload_serves_under_media(client, db, make_user, make_token, make_note):
    # given an author's note
    author = make_user()
    note = make_note(author=author)
    # when they upload a PNG named like a script
    r = client.post(
        f"/api/v1/notes/{note.id}/photos",
        headers=make_token(author),
        files={"file": ("../../evil.php", png(), "application/x-php")},
    )
    # then it is stored under a server-chosen name and served from /media
    assert r.status_code == 201, r.text
    url = r.json()["url"]
    assert url.startswith("/media/notes/")
    assert url.endswith(".png")
    assert "evil" not in url
    served = client.get(url)
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).format == "PNG"
    assert client.get(f"/api/v1/notes/{note.id}").json()["photos"][0]["url"] == url


def test_photo_upload_refuses_non_images_too_large_and_strangers(
    client, db, settings, make_user, make_token, make_note
):
    author = make_user()
    note = make_note(author=author)
    url = f"/api/v1/notes/{note.id}/photos"
    # a text file with an image name is not an image
    r = client.post(url, headers=make_token(author), files={"file": ("cat.jpg", b"hello", "image/jpeg")})
    assert r.status_code == 415
    assert "not a readable image" in r.json()["detail"]
    # a file over the limit is refused as too large
    big = b"\xff\xd8" + b"0" * settings.max_upload_bytes
    assert client.post(url, headers=make_token(author), files={"file": ("x.jpg", big)}).status_code == 413
    # only the author may add photos
    assert client.post(url, files={"file": ("a.png", png())}).status_code == 401
    assert (
        client.post(url, headers=make_token(make_user()), files={"file": ("a.png", png())}).status_code == 403
    )
    with db.read() as session:
        assert session.query(NotePhoto).count() == 0


def test_comments_flow_and_permissions(client, db, make_user, make_token, make_note):
    # given a note and a commenter
    author = make_user()
    note = make_note(author=author)
    commenter = make_user()
    # anonymous comments are refused; a bad body is 422
    assert client.post(f"/api/v1/notes/{note.id}/comments", json={"body": "hi"}).status_code == 401
    assert (
        client.post(
            f"/api/v1/notes/{note.id}/comments", headers=make_token(commenter), json={"body": ""}
        ).status_code
        == 422
    )
    # when they comment
    r = client.post(
        f"/api/v1/notes/{note.id}/comments", headers=make_token(commenter), json={"body": "Size?"}
    )
    assert r.status_code == 201
    comment_id = r.json()["id"]
    # then it is listed and counted
    listed = client.get(f"/api/v1/notes/{note.id}/comments").json()
    assert [c["body"] for c in listed["items"]] == ["Size?"]
    assert client.get(f"/api/v1/notes/{note.id}").json()["comment_count"] == 1
    # and only the right people may delete it
    assert client.delete(f"/api/v1/comments/{comment_id}").status_code == 401
    assert client.delete(f"/api/v1/comments/{comment_id}", headers=make_token(make_user())).status_code == 403
    assert client.delete(f"/api/v1/comments/{comment_id}", headers=make_token(author)).status_code == 204
    with db.read() as session:
        assert session.get(Comment, comment_id).status == "deleted"
    assert client.get(f"/api/v1/notes/{note.id}").json()["comment_count"] == 0


def test_reactions_are_idempotent_over_http(client, db, make_user, make_token, make_note):
    note = make_note()
    headers = make_token(make_user())
    url = f"/api/v1/notes/{note.id}/reactions"
    assert client.post(url, json={"kind": "like"}).status_code == 401
    assert client.post(url, headers=headers, json={"kind": "like"}).json()["like_count"] == 1
    assert client.post(url, headers=headers, json={"kind": "like"}).json() == {
        "note_id": note.id,
        "kind": "like",
        "changed": False,
        "like_count": 1,
        "save_count": 0,
    }
    assert client.post(url, headers=headers, json={"kind": "wow"}).status_code == 422
    assert client.get(f"/api/v1/notes/{note.id}", headers=headers).json()["my_reactions"] == ["like"]
    assert client.delete(f"{url}/like").status_code == 401
    assert client.delete(f"{url}/like", headers=headers).json()["like_count"] == 0
    with db.read() as session:
        assert session.query(Reaction).count() == 0


def test_likes_saves_and_comments_of_others_are_not_edits(client, make_user, make_token, make_note):
    # given a note and its last edit as the API reports it
    note = make_note()
    edited = client.get(f"/api/v1/notes/{note.id}").json()["updated_at"]
    reader = make_token(make_user())
    # when someone likes, saves and comments on it, then takes it all back
    for kind in ("like", "save"):
        assert client.post(
            f"/api/v1/notes/{note.id}/reactions", headers=reader, json={"kind": kind}
        ).is_success
    comment = client.post(f"/api/v1/notes/{note.id}/comments", headers=reader, json={"body": "Size?"}).json()
    after_engagement = client.get(f"/api/v1/notes/{note.id}").json()
    for kind in ("like", "save"):
        assert client.delete(f"/api/v1/notes/{note.id}/reactions/{kind}", headers=reader).is_success
    assert client.delete(f"/api/v1/comments/{comment['id']}", headers=reader).status_code == 204
    after_undo = client.get(f"/api/v1/notes/{note.id}").json()
    # then the counters moved but the note still reads as last edited by its author
    assert (after_engagement["like_count"], after_engagement["save_count"]) == (1, 1)
    assert after_engagement["comment_count"] == 1
    assert after_engagement["updated_at"] == edited
    assert after_undo["updated_at"] == edited


def test_photo_delete_refuses_others_then_removes_the_file(
    client, db, settings, make_user, make_token, make_note
):
    # given a note with a photo
    author = make_user()
    note = make_note(author=author)
    r = client.post(
        f"/api/v1/notes/{note.id}/photos", headers=make_token(author), files={"file": ("a.png", png())}
    )
    photo = r.json()
    url = f"/api/v1/notes/{note.id}/photos/{photo['id']}"
    # when others try to delete it, then they are refused and the file stays
    assert client.delete(url).status_code == 401
    assert client.delete(url, headers=make_token(make_user())).status_code == 403
    stored = settings.media_dir / photo["url"].removeprefix("/media/")
    assert stored.is_file()
    # when the author deletes it, then the row and the file are gone
    assert client.delete(url, headers=make_token(author)).status_code == 204
    assert not stored.exists()
    with db.read() as session:
        assert session.query(NotePhoto).count() == 0
