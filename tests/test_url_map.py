"""Walk every route, so that a new one cannot slip past authentication or CSRF.

Pages (hub.web) are walked by tests/web/test_page_matrix.py: they sign in by redirect and
take CSRF as a form field."""

import re

import pytest

from hub.auth.guard import PAGE_BLUEPRINTS, PUBLIC_ENDPOINTS
from tests.factories import PASSWORD

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.partition(".")[0] in PAGE_BLUEPRINTS:
            continue
        path = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


def test_the_public_endpoints_are_only_sign_up_sign_in_password_reset_health_and_docs():
    assert PUBLIC_ENDPOINTS == {
        "auth.register",
        "auth.login",
        "auth.verify_email",
        "auth.request_password_reset",
        "auth.confirm_password_reset",
        "ops.healthz",
        "ops.readyz",
        "ops.asyncapi_json",
        "api-docs.openapi_json",
        "api-docs.openapi_swagger_ui",
        "static",
    }


def test_every_other_route_answers_401_json_without_credentials(app, client):
    checked = 0
    for method, path in routes(app):
        response = client.open(path, method=method, json={})
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.is_json and response.json["code"] == 401, (method, path)
        assert response.json["message"]
        checked += 1
    assert checked > 20


def test_every_unsafe_route_refuses_a_cookie_session_without_the_csrf_header(app, factory):
    person = factory.user()
    browser = app.test_client()
    assert (
        browser.post(
            "/api/v1/auth/login", json={"email": person.email, "password": PASSWORD}
        ).status_code
        == 200
    )
    checked = 0
    for method, path in routes(app):
        if method not in UNSAFE:
            continue
        response = browser.open(path, method=method, json={})
        assert response.status_code == 403, (method, path, response.status_code)
        assert "X-CSRF-Token" in response.json["message"]
        checked += 1
    assert checked > 10
    assert browser.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("database", ["sqlite"], indirect=False)
def test_public_endpoints_answer_without_credentials(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 200
