"""Signing in, registering, signing out and resetting a password, as pages."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from hub.auth.models import User
from hub.extensions import db
from tests.factories import PASSWORD
from tests.groups.helpers import sent_mail
from tests.web.conftest import Browser, banner, error_summary, field_error, text


def test_the_home_page_says_what_the_hub_is_to_someone_signed_out(browser):
    page = browser.get("/")
    assert text(page.h1) == "Knowledge Hub"
    assert "councillors and officers" in text(page.main)
    links = {text(a): a["href"] for a in page.main.find_all("a")}
    assert links["Create an account"] == "/register"
    assert links["Sign in"] == "/sign-in"


def test_the_sign_in_form_has_email_password_and_csrf_token_fields(browser):
    page = browser.get("/sign-in")
    form = page.main.find("form")
    assert form["method"] == "post" and form["action"] == "/sign-in"
    names = [field["name"] for field in form.find_all("input")]
    assert names == ["csrf_token", "email", "password"]
    assert text(page.find("label", attrs={"for": "email"})) == "Email address"
    assert text(page.find("label", attrs={"for": "password"})) == "Password"


def test_signing_in_leads_to_your_feed(browser, factory):
    person = factory.user()
    browser.get("/sign-in")
    response = browser.post("/sign-in", {"email": person.email, "password": PASSWORD})
    assert response.location == "/"
    page = browser.get("/")
    assert text(page.h1) == "Your feed"
    assert "Sign out" in text(page.find(class_="govuk-service-navigation"))


def test_signing_in_returns_to_the_page_asked_for_but_never_to_another_site(browser, factory):
    person = factory.user()
    assert browser.client.get("/account").location == "/sign-in?next=/account"
    browser.get("/sign-in?next=/account")
    response = browser.post(
        "/sign-in", {"email": person.email, "password": PASSWORD, "next": "/account"}
    )
    assert response.location == "/account"
    other = Browser(browser.app)
    other.get("/sign-in")
    response = other.post(
        "/sign-in", {"email": person.email, "password": PASSWORD, "next": "//evil.example/"}
    )
    assert response.location == "/"


def test_a_wrong_password_shows_the_error_beside_the_field_and_signs_nobody_in(browser, factory):
    person = factory.user()
    browser.get("/sign-in")
    page = browser.post(
        "/sign-in", {"email": person.email, "password": "not the password"}, status=200
    )
    assert text(page.title).startswith("Error: Sign in")
    assert error_summary(page) == [("#email", "The email address or password is wrong.")]
    assert field_error(page, "email") == "The email address or password is wrong."
    assert page.find(id="email")["value"] == person.email
    assert not page.find(id="password").get("value")
    assert not browser.signed_in()


def test_blank_fields_say_what_to_enter(browser):
    browser.get("/sign-in")
    page = browser.post("/sign-in", {"email": "", "password": ""}, status=200)
    assert error_summary(page) == [
        ("#email", "Enter your email address"),
        ("#password", "Enter your password"),
    ]
    assert field_error(page, "password") == "Enter your password"


class TestSignInLimit:
    @pytest.fixture
    def app_settings(self):
        return {"HUB_LOGIN_FAILURE_LIMIT": "3 per minute"}

    def test_failures_at_the_api_and_the_page_count_together(self, app, browser, factory):
        person = factory.user()
        wrong = {"email": person.email, "password": "not the password"}
        for _ in range(2):
            assert browser.client.post("/api/v1/auth/login", json=wrong).status_code == 401
        browser.get("/sign-in")
        browser.post("/sign-in", wrong, status=200)
        page = browser.post("/sign-in", wrong, status=429)
        assert text(page.h1) == "Too many tries"
        page = browser.post("/sign-in", {"email": person.email, "password": PASSWORD}, status=429)
        assert not browser.signed_in()


REGISTRATION = {
    "name": "Ada Lovelace",
    "email": "ada@camden.gov.uk",
    "password": "analytical engine notes",
    "role": "councillor",
    "organisation": "Camden Council",
    "job_title": "",
}


def test_registering_creates_the_account_and_signs_in(app, browser):
    page = browser.get("/register")
    assert [i["name"] for i in page.main.form.find_all("input")] == [
        "csrf_token",
        "name",
        "email",
        "password",
        "role",
        "role",
        "role",
        "organisation",
        "job_title",
    ]
    response = browser.post("/register", REGISTRATION)
    assert response.location == "/?done=registered"
    page = browser.get(response.location)
    assert banner(page) == "Your account has been created and you are signed in."
    with app.app_context():
        user = db.session.query(User).one()
        assert (user.name, user.role, user.organisation) == (
            "Ada Lovelace",
            "councillor",
            "Camden Council",
        )


def test_registering_with_problems_keeps_what_was_typed_and_stores_nothing(app, browser):
    browser.get("/register")
    page = browser.post(
        "/register",
        {**REGISTRATION, "email": "not an address", "password": "short", "role": ""},
        status=200,
    )
    assert [href for href, _ in error_summary(page)] == ["#email", "#password", "#role"]
    assert field_error(page, "email") == "Not a valid email address."
    assert field_error(page, "role") == "Select whether you are a councillor, an officer or other"
    assert "10 to 256 characters" in field_error(page, "password")
    assert page.find(id="name")["value"] == "Ada Lovelace"
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_registering_an_address_in_use_says_to_sign_in(app, browser, factory):
    person = factory.user()
    browser.get("/register")
    page = browser.post("/register", {**REGISTRATION, "email": person.email}, status=200)
    assert field_error(page, "email").startswith("An account with this email address")
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_signing_out_ends_the_session(signed_in):
    cookie = signed_in.client.get_cookie("hub_session").value
    response = signed_in.post("/sign-out", {})
    assert response.location == "/?done=signed-out"
    assert not signed_in.signed_in()
    assert banner(signed_in.get(response.location)) == "You have signed out."
    signed_in.client.set_cookie("hub_session", cookie)
    assert text(signed_in.get("/").h1) == "Knowledge Hub"  # the old key opens nothing


def test_a_password_reset_email_links_to_the_page_that_sets_a_new_one(app, browser, factory):
    person = factory.user()
    page = browser.get("/password-reset")
    assert text(page.h1) == "Reset your password"
    response = browser.post("/password-reset", {"email": person.email})
    page = browser.get(response.location)
    assert text(page.h1) == "Check your email"
    body = sent_mail(app)[-1].body
    link = next(line for line in body.splitlines() if "/password-reset/new?token=" in line)
    assert link.startswith(app.config["HUB_BASE_URL"] + "/password-reset/new?token=")
    path = link.removeprefix(app.config["HUB_BASE_URL"])

    page = browser.get(path)
    assert text(page.h1) == "Choose a new password"
    token = page.find("input", {"name": "token"})["value"]
    assert path.endswith(token)
    page = browser.post("/password-reset/new", {"token": token, "password": "short"}, status=200)
    assert "10 to 256 characters" in field_error(page, "password")
    response = browser.post(
        "/password-reset/new", {"token": token, "password": "a brand new passphrase"}
    )
    assert response.location == "/sign-in?done=password-reset"
    assert banner(browser.get(response.location)) == (
        "Your password has been changed. Sign in with it."
    )
    browser.post("/sign-in", {"email": person.email, "password": "a brand new passphrase"})
    assert browser.signed_in()


def test_a_used_reset_link_says_to_ask_for_a_new_one(browser):
    browser.get("/password-reset/new?token=not-a-real-token")
    page = browser.post(
        "/password-reset/new",
        {"token": "not-a-real-token", "password": "a brand new passphrase"},
        status=200,
    )
    assert error_summary(page)[0][0] == "#password"
    assert "Ask for a new one" in field_error(page, "password")


def test_asking_for_a_reset_of_an_unknown_address_answers_the_same(app, browser):
    browser.get("/password-reset")
    response = browser.post("/password-reset", {"email": "nobody@example.org"})
    assert response.location == "/password-reset?sent=1"
    assert sent_mail(app) == []


def test_a_blank_reset_request_says_what_to_enter(browser):
    browser.get("/password-reset")
    page = browser.post("/password-reset", {"email": ""}, status=200)
    assert error_summary(page) == [("#email", "Enter your email address")]
    assert isinstance(page, BeautifulSoup)
