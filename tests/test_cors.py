"""CORS: pages on HUB_ALLOWED_ORIGINS may call the API with credentials; no other origin
gets a CORS header, and a preflight is answered without asking for sign-in."""

from __future__ import annotations

import pytest

API = "/api/v1"
FRIEND = "https://intranet.camden.gov.uk"
STRANGER = "https://evil.example"


@pytest.fixture
def app_settings():
    return {"HUB_ALLOWED_ORIGINS": [FRIEND]}


def _preflight(client, origin: str):
    return client.options(
        f"{API}/groups",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-csrf-token",
        },
    )


def test_a_preflight_from_an_allowed_origin_is_answered_without_sign_in(client):
    answer = _preflight(client, FRIEND)
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == FRIEND
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    assert "X-CSRF-Token" in answer.headers["Access-Control-Allow-Headers"]


def test_other_origins_get_no_cors_headers(client, factory):
    assert "Access-Control-Allow-Origin" not in _preflight(client, STRANGER).headers
    person = factory.person()
    read = person.get(f"{API}/me", headers={"Origin": STRANGER})
    assert read.status_code == 200
    assert "Access-Control-Allow-Origin" not in read.headers
    assert "Origin" in read.headers["Vary"]


def test_an_allowed_origin_reads_with_credentials_and_sees_the_pagination(client, factory):
    person = factory.person()
    read = person.get(f"{API}/groups", headers={"Origin": FRIEND})
    assert read.status_code == 200
    assert read.headers["Access-Control-Allow-Origin"] == FRIEND
    assert read.headers["Access-Control-Allow-Credentials"] == "true"
    assert "X-Pagination" in read.headers["Access-Control-Expose-Headers"]
    refused = client.get(f"{API}/me", headers={"Origin": FRIEND})
    assert refused.status_code == 401  # CORS never stands in for signing in
    assert refused.headers["Access-Control-Allow-Origin"] == FRIEND
