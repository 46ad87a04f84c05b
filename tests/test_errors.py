"""Every failure is JSON with code, status and a message a person can act on."""

import pytest
from flask import Blueprint


def assert_error(response, code):
    assert response.status_code == code
    assert response.is_json, response.data[:200]
    body = response.json
    assert body["code"] == code and body["status"] and body["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_unknown_address_is_json_404(client):
    assert_error(client.get("/api/v1/no-such-thing"), 404)


def test_wrong_method_is_json_405_with_allow(client):
    response = client.delete("/healthz")
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_malformed_json_is_a_clear_400(factory):
    person = factory.person()
    response = person.patch("/api/v1/me", data="{not json", content_type="application/json")
    body = assert_error(response, 400)
    assert "JSON" in body["message"]


def test_validation_errors_are_422_keyed_by_location_and_field(factory):
    person = factory.person()
    body = assert_error(person.patch("/api/v1/me", json={"name": "", "colour": "red"}), 422)
    assert "name" in body["errors"]["json"] and "colour" in body["errors"]["json"]


def test_too_large_request_is_json_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/auth/login", data="x" * 4096, content_type="application/json")
    assert_error(response, 413)


@pytest.fixture
def failing_app(app):
    broken = Blueprint("broken_for_test", __name__)

    @broken.route("/api/v1/test-only/explode")
    def explode():
        raise RuntimeError("secret internal detail")

    app.register_blueprint(broken)
    return app


@pytest.mark.new_app  # adds a route, which Flask allows only before an app's first request
def test_unexpected_exception_is_500_with_a_reference_and_no_stack_trace(failing_app, factory):
    person = factory.client_for(factory.user())
    response = person.get("/api/v1/test-only/explode")
    body = assert_error(response, 500)
    assert body["reference"] in body["message"]
    assert "secret internal detail" not in response.get_data(as_text=True)
