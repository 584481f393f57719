def test_signup_then_token_then_me(client):
    # given a new account
    r = client.post(
        "/api/v1/auth/signup",
        json={"username": "Lin_Mei", "password": "correct horse", "display_name": "林梅"},
    )
    assert r.status_code == 201
    assert r.json()["username"] == "lin_mei"
    # when the person asks for a token with the right password
    r = client.post("/api/v1/auth/token", json={"username": "lin_mei", "password": "correct horse"})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    # then the token identifies them
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["display_name"] == "林梅"


def test_wrong_password_is_refused_with_a_problem_body(client, make_user):
    make_user(username="ana", password="right password")
    r = client.post("/api/v1/auth/token", json={"username": "ana", "password": "wrong password"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"] == "wrong username or password"


def test_duplicate_username_conflicts_and_keeps_the_first_account(client, make_user):
    make_user(username="ana", display_name="Ana first")
    r = client.post(
        "/api/v1/auth/signup", json={"username": "ANA", "password": "12345678", "display_name": "x"}
    )
    assert r.status_code == 409
    r = client.post("/api/v1/auth/token", json={"username": "ana", "password": "12345678"})
    assert r.status_code == 401


def test_signup_cannot_claim_moderator(client):
    r = client.post(
        "/api/v1/auth/signup",
        json={
            "username": "sneaky",
            "password": "12345678",
            "display_name": "S",
            "roles": ["moderator", "creator"],
        },
    )
    assert r.status_code == 201
    assert r.json()["roles"] == ["creator"]


def test_malformed_body_gets_a_field_by_field_problem(client):
    r = client.post("/api/v1/auth/signup", json={"username": "x"})
    assert r.status_code == 422
    body = r.json()
    assert {e["field"] for e in body["errors"]} == {"password", "display_name"}


def test_unknown_bearer_token_is_refused(client):
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401


def test_a_domain_error_extra_named_like_a_standard_member_does_not_break_the_problem(app):
    # given a handler that raises an error whose extra is called "status"
    from fastapi.testclient import TestClient

    from nichely.errors import Conflict

    @app.get("/api/v1/_clash")
    def clash() -> None:
        raise Conflict("order is shipped", status="shipped")

    # when it is called, then the problem keeps its HTTP status and carries the extra under another name
    r = TestClient(app).get("/api/v1/_clash")
    assert r.status_code == 409
    assert r.json()["status"] == 409
    assert r.json()["error_status"] == "shipped"
