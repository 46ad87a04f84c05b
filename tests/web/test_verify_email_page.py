"""The confirmation email links to a page (at HUB_BASE_URL) where a button confirms the
address; a link that is not whole says so and confirms nothing."""

from __future__ import annotations

import re

import pytest

from tests.groups.helpers import sent_mail
from tests.web.conftest import Browser, banner, error_summary, text

EMAIL = "amira.khan@camden.gov.uk"


@pytest.fixture
def app_settings():
    return {"HUB_EMAIL_VERIFICATION": "required", "HUB_BASE_URL": "https://hub.example.gov.uk"}


def _registered(app, client) -> str:
    """Register through the API; the path of the link in the confirmation email."""
    created = client.post(
        "/api/v1/auth/register",
        json={
            "email": EMAIL,
            "password": "a long and unusual passphrase",
            "name": "Amira Khan",
            "role": "officer",
        },
    )
    assert created.status_code == 201, created.json
    body = next(m for m in reversed(sent_mail(app)) if EMAIL in m.to).body
    link = re.search(r"^https://hub\.example\.gov\.uk(/verify-email\?token=\S+)$", body, re.M)
    assert link, body
    return link.group(1)


def _verified(client) -> bool:
    signed_in = client.post(
        "/api/v1/auth/login", json={"email": EMAIL, "password": "a long and unusual passphrase"}
    )
    return signed_in.json["user"]["email_verified"]


def test_the_emailed_link_opens_a_page_whose_button_confirms_the_address(app, client):
    path = _registered(app, client)
    browser = Browser(app)
    page = browser.get(path)
    assert text(page.h1) == "Confirm your email address"
    assert not _verified(app.test_client())  # opening the link changed nothing
    token = page.find("input", {"name": "token"})["value"]
    done = browser.post("/verify-email", {"token": token})
    assert done.location == "/?done=email-confirmed"
    assert banner(browser.get(done.location)) == "Your email address is confirmed."
    assert _verified(app.test_client())


def test_a_link_that_is_not_whole_confirms_nothing(app, client):
    path = _registered(app, client)
    browser = Browser(app)
    browser.get(path)
    page = browser.post("/verify-email", {"token": path.rpartition("=")[2][:-4]}, status=200)
    [(target, message)] = error_summary(page)
    assert target == "#confirm" and "not valid" in message
    page = browser.post("/verify-email", {"token": ""}, status=200)
    assert error_summary(page) == [("#confirm", "This link is not complete.")]
    assert not _verified(app.test_client())
