"""Accounts: register, sign in and out, CSRF, API tokens, email verification, throttling."""

import pytest

from hub.auth.models import User
from hub.db import utcnow
from hub.extensions import db
from tests.factories import PASSWORD
from tests.groups.helpers import counting_queries

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"


def register(client, **fields):
    body = {
        "email": "amira.khan@camden.gov.uk",
        "password": "a long and unusual passphrase",
        "name": "Amira Khan",
        "role": "officer",
        "organisation": "London Borough of Camden",
    }
    body.update(fields)
    return client.post(REGISTER, json=body)


def test_register_then_sign_in_and_see_own_profile(client):
    created = register(client, job_title="Head of Public Health")
    assert created.status_code == 201
    assert created.json["email"] == "amira.khan@camden.gov.uk"
    assert created.json["job_title"] == "Head of Public Health"
    assert "password" not in created.json

    login = client.post(
        LOGIN,
        json={"email": "Amira.Khan@camden.gov.uk", "password": "a long and unusual passphrase"},
    )
    assert login.status_code == 200
    assert login.json["user"]["name"] == "Amira Khan"
    assert login.json["csrf_token"]
    cookie = client.get_cookie("hub_session")
    assert cookie.http_only and cookie.same_site == "Lax"

    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json["email"] == "amira.khan@camden.gov.uk"


def test_register_refuses_a_taken_email(client):
    assert register(client).status_code == 201
    again = register(client, email="AMIRA.KHAN@camden.gov.uk")
    assert again.status_code == 409
    assert "already exists" in again.json["message"]


@pytest.mark.parametrize(
    "password",
    ["short", "password123!", "Password2024", "qwertyuiop", "aaaaaaaaaaaa", "amira.khan-2024"],
)
def test_register_refuses_weak_passwords(client, password):
    response = register(client, password=password)
    assert response.status_code == 422
    assert "password" in response.json["errors"]["json"]


@pytest.mark.parametrize(
    "fields, bad",
    [({"email": "not-an-email"}, "email"), ({"role": "mayor"}, "role"), ({"name": ""}, "name")],
)
def test_register_refuses_bad_fields_with_a_message(client, fields, bad):
    response = register(client, **fields)
    assert response.status_code == 422
    assert bad in response.json["errors"]["json"]
    assert response.json["message"]


def test_wrong_password_is_401_and_unknown_account_looks_the_same(client, factory):
    person = factory.user()
    wrong = client.post(LOGIN, json={"email": person.email, "password": "not the password"})
    unknown = client.post(LOGIN, json={"email": "nobody@nowhere.gov.uk", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["message"] == unknown.json["message"]


def test_logout_ends_the_session(client, factory):
    person = factory.user()
    login = client.post(LOGIN, json={"email": person.email, "password": PASSWORD})
    csrf = {"X-CSRF-Token": login.json["csrf_token"]}
    assert client.post("/api/v1/auth/logout", headers=csrf).status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_cookie_requests_need_the_csrf_token_and_tokens_do_not(client, factory):
    person = factory.user()
    login = client.post(LOGIN, json={"email": person.email, "password": PASSWORD})
    without = client.patch("/api/v1/me", json={"region": "London"})
    assert without.status_code == 403 and "X-CSRF-Token" in without.json["message"]
    wrong = client.patch("/api/v1/me", json={"region": "London"}, headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403
    fetched = client.get("/api/v1/auth/csrf").json["csrf_token"]
    assert fetched == login.json["csrf_token"]
    ok = client.patch("/api/v1/me", json={"region": "London"}, headers={"X-CSRF-Token": fetched})
    assert ok.status_code == 200 and ok.json["region"] == "London"

    program = factory.client_for(person)
    assert program.patch("/api/v1/me", json={"region": "Wales"}).status_code == 200
    assert program.get("/api/v1/me").json["region"] == "Wales"
    assert client.get("/api/v1/me").json["region"] == "Wales"


def test_api_tokens_are_shown_once_listed_and_revocable(factory):
    person = factory.person()
    made = person.post("/api/v1/auth/tokens", json={"name": "reporting script"})
    assert made.status_code == 201
    token = made.json["token"]
    listed = person.get("/api/v1/auth/tokens")
    assert listed.status_code == 200
    names = {t["name"]: t for t in listed.json}
    assert "reporting script" in names and "token" not in names["reporting script"]
    assert names["tests"]["last_used_at"] is not None

    other = person.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert other.status_code == 200
    assert person.delete(f"/api/v1/auth/tokens/{made.json['id']}").status_code == 204
    revoked = person.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 401
    assert person.delete(f"/api/v1/auth/tokens/{made.json['id']}").status_code == 404


def test_someone_elses_token_cannot_be_revoked(factory):
    owner, other = factory.person(), factory.person()
    token_id = owner.get("/api/v1/auth/tokens").json[0]["id"]
    assert other.delete(f"/api/v1/auth/tokens/{token_id}").status_code == 404
    assert owner.get("/api/v1/me").status_code == 200


def test_a_deactivated_account_is_signed_out_everywhere(app, client, factory):
    person = factory.user(name="Leaving Person")
    program = factory.client_for(person)
    client.post(LOGIN, json={"email": person.email, "password": PASSWORD})
    assert program.get("/api/v1/me").json["name"] == "Leaving Person"
    assert client.get("/api/v1/me").json["name"] == "Leaving Person"
    with app.app_context():
        db.session.get(User, person.id).deactivated_at = utcnow()
        db.session.commit()
    for caller in (program, client):
        refused = caller.get("/api/v1/me")
        assert refused.status_code == 401 and "Sign in" in refused.json["message"]


def test_the_caller_is_read_without_their_expertise_unless_asked(app, factory):
    person = factory.person()
    assert person.patch("/api/v1/me", json={"expertise": ["housing"]}).status_code == 200
    # Marking notifications read commits, then reads the caller again.
    with counting_queries(app) as statements:
        assert person.post("/api/v1/notifications/read", json={"all": True}).status_code == 200
    assert statements and not any("user_expertise" in s for s in statements)
    with counting_queries(app) as statements:
        assert person.get("/api/v1/me").json["expertise"] == ["housing"]
    assert any("user_expertise" in s for s in statements)


def test_a_bad_bearer_token_is_401(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer khub_nonsense"})
    assert response.status_code == 401
    assert response.json["code"] == 401 and "Sign in" in response.json["message"]


class TestLoginThrottling:
    @pytest.fixture
    def app_settings(self):
        return {"HUB_LOGIN_FAILURE_LIMIT": "3 per minute"}

    def test_repeated_failures_for_one_account_are_429_with_retry_after(self, client, factory):
        person = factory.user()
        for _ in range(3):
            failed = client.post(LOGIN, json={"email": person.email, "password": "wrong guess!"})
            assert failed.status_code == 401
        blocked = client.post(LOGIN, json={"email": person.email, "password": PASSWORD})
        assert blocked.status_code == 429
        assert int(blocked.headers["Retry-After"]) > 0
        assert blocked.json["message"]

    def test_successful_logins_are_not_counted(self, client, factory):
        person = factory.user()
        for _ in range(5):
            assert (
                client.post(LOGIN, json={"email": person.email, "password": PASSWORD}).status_code
                == 200
            )


class TestRegistrationLimit:
    @pytest.fixture
    def app_settings(self):
        return {"HUB_REGISTER_LIMIT": "2 per hour"}

    def test_registration_is_limited_per_address(self, client):
        assert register(client, email="a.one@leeds.gov.uk").status_code == 201
        assert register(client, email="a.two@leeds.gov.uk").status_code == 201
        third = register(client, email="a.three@leeds.gov.uk")
        assert third.status_code == 429 and "Retry-After" in third.headers


class TestRateLimitingSwitchedOff:
    @pytest.fixture
    def app_settings(self):
        return {"RATELIMIT_ENABLED": False, "HUB_LOGIN_FAILURE_LIMIT": "1 per minute"}

    def test_an_app_without_rate_limits_starts_and_never_answers_429(self, client, factory):
        person = factory.user()
        for _ in range(3):
            failed = client.post(LOGIN, json={"email": person.email, "password": "wrong guess!"})
            assert failed.status_code == 401
        assert (
            client.post(LOGIN, json={"email": person.email, "password": PASSWORD}).status_code
            == 200
        )


class TestEmailVerification:
    @pytest.fixture
    def app_settings(self):
        return {"HUB_EMAIL_VERIFICATION": "required"}

    def _token_from_mail(self, app):
        outbox = app.extensions["mailman"].outbox
        body = outbox[-1].body
        return body.strip().split("\n\n")[-2].strip()

    def test_public_sector_account_can_sign_in_but_not_post_until_verified(self, app, client):
        assert register(client).status_code == 201
        login = client.post(
            LOGIN,
            json={"email": "amira.khan@camden.gov.uk", "password": "a long and unusual passphrase"},
        )
        assert login.status_code == 200
        me = login.json["user"]
        assert me["email_verified"] is False and me["approved"] is True

        mail = app.extensions["mailman"].outbox[-1]
        assert mail.to == ["amira.khan@camden.gov.uk"]
        token = self._token_from_mail(app)
        verified = client.post("/api/v1/auth/verify-email", json={"token": token})
        assert verified.status_code == 200 and verified.json["email_verified"] is True

    def test_a_forged_token_is_422(self, client):
        response = client.post("/api/v1/auth/verify-email", json={"token": "forged.token.here"})
        assert response.status_code == 422 and "not valid" in response.json["message"]

    def test_outside_the_allowlist_waits_for_a_site_admin(self, app, client, factory):
        created = register(client, email="jo@consultancy.example.com")
        assert created.status_code == 201 and created.json["approved"] is False
        admin = factory.person(is_admin=True)
        waiting = admin.get("/api/v1/admin/accounts/awaiting-approval")
        assert [a["email"] for a in waiting.json] == ["jo@consultancy.example.com"]
        ordinary = factory.person()
        assert ordinary.get("/api/v1/admin/accounts/awaiting-approval").status_code == 403
        assert (
            ordinary.post(f"/api/v1/admin/accounts/{created.json['id']}/approve").status_code == 403
        )
        approved = admin.post(f"/api/v1/admin/accounts/{created.json['id']}/approve")
        assert approved.status_code == 200 and approved.json["approved"] is True

    def test_subdomains_of_public_sector_domains_are_recognised(self, client):
        created = register(client, email="ops@trust.nhs.uk")
        assert created.json["approved"] is True
