from nichely.accounts.models import User


def test_follow_shows_on_the_profile_and_in_lists(client, make_user, make_token):
    # given two people
    fan, star = make_user(), make_user()
    headers = make_token(fan)
    # when one follows the other (twice)
    r = client.post(f"/api/v1/users/{star.id}/follow", headers=headers)
    assert r.json() == {"user_id": star.id, "following": True, "changed": True, "follower_count": 1}
    assert client.post(f"/api/v1/users/{star.id}/follow", headers=headers).json()["changed"] is False
    # then the profile says so, and the lists agree
    profile = client.get(f"/api/v1/users/{star.id}", headers=headers).json()
    assert (profile["follower_count"], profile["followed_by_me"]) == (1, True)
    assert client.get(f"/api/v1/users/{star.id}").json()["followed_by_me"] is False
    assert [u["id"] for u in client.get(f"/api/v1/users/{star.id}/followers").json()["items"]] == [fan.id]
    assert [u["id"] for u in client.get(f"/api/v1/users/{fan.id}/following").json()["items"]] == [star.id]
    # and unfollowing undoes it
    assert client.delete(f"/api/v1/users/{star.id}/follow", headers=headers).json()["follower_count"] == 0


def test_follow_refuses_anonymous_self_and_unknown(client, db, make_user, make_token):
    me = make_user()
    assert client.post(f"/api/v1/users/{me.id}/follow").status_code == 401
    assert client.delete(f"/api/v1/users/{me.id}/follow").status_code == 401
    assert client.post(f"/api/v1/users/{me.id}/follow", headers=make_token(me)).status_code == 422
    assert client.post("/api/v1/users/999999/follow", headers=make_token(me)).status_code == 404
    with db.read() as session:
        assert session.get(User, me.id).following_count == 0


def test_user_notes_lists_only_their_published_notes(client, make_user, make_note):
    ana = make_user()
    mine = make_note(author=ana)
    make_note(author=ana, status="hidden")
    make_note()
    r = client.get(f"/api/v1/users/{ana.id}/notes")
    assert [n["id"] for n in r.json()["items"]] == [mine.id]
    assert client.get(f"/api/v1/users/{ana.id}").json()["note_count"] == 1
    assert client.get("/api/v1/users/999999/notes").status_code == 404


def test_update_my_profile(client, db, make_user, make_token):
    me = make_user()
    r = client.patch(
        "/api/v1/me",
        headers=make_token(me),
        json={
            "display_name": " Lin ",
            "bio": "Trail runner",
            "languages": ["zh", "en"],
            "interests": ["Trail"],
        },
    )
    assert r.status_code == 200, r.text
    assert (r.json()["display_name"], r.json()["languages"], r.json()["interests"]) == (
        "Lin",
        ["zh", "en"],
        ["trail"],
    )


def test_update_my_profile_refuses_bad_input_and_anonymous(client, db, make_user, make_token):
    me = make_user(display_name="Before")
    assert client.patch("/api/v1/me", json={"display_name": "x"}).status_code == 401
    assert client.patch("/api/v1/me", headers=make_token(me), json={"display_name": "  "}).status_code == 422
    assert (
        client.patch("/api/v1/me", headers=make_token(me), json={"languages": ["klingon"]}).status_code == 422
    )
    with db.read() as session:
        stored = session.get(User, me.id)
        assert (stored.display_name, stored.languages) == ("Before", [])


def test_profile_and_sign_up_text_keep_no_nul_characters(client, db, make_user, make_token):
    # PostgreSQL cannot store NUL in text: it is dropped, as in notes, rather than failing the write
    me = make_user(display_name="Before")
    r = client.patch(
        "/api/v1/me",
        headers=make_token(me),
        json={"display_name": "Li\x00n", "bio": "Trail\x00 runner", "interests": ["tr\x00ail"]},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["display_name"], r.json()["bio"], r.json()["interests"]) == (
        "Lin",
        "Trail runner",
        ["trail"],
    )
    assert (
        client.patch("/api/v1/me", headers=make_token(me), json={"display_name": "\x00"}).status_code == 422
    )
    signed_up = client.post(
        "/api/v1/auth/signup",
        json={
            "username": "nul_test",
            "password": "long enough pw",
            "display_name": "N\x00ul",
            "bio": "b\x00io",
        },
    )
    assert signed_up.status_code == 201, signed_up.text
    assert (signed_up.json()["display_name"], signed_up.json()["bio"]) == ("Nul", "bio")
    with db.read() as session:
        stored = session.get(User, me.id)
        assert (stored.display_name, stored.bio) == ("Lin", "Trail runner")
