"""The shell: layout, assets, error pages, CSRF on forms, UK time."""

from __future__ import annotations

from datetime import datetime

from bs4 import BeautifulSoup

from hub.auth.models import User
from hub.extensions import db
from hub.web.i18n import uk_time
from tests.web.conftest import text


def test_the_header_names_the_hub_and_the_footer_has_no_crown(browser):
    page = browser.get("/")
    assert text(page.find(class_="govuk-header")) == "Knowledge Hub"
    assert [text(a) for a in page.select(".govuk-service-navigation__list a")] == [
        "Home",
        "Sign in",
        "Create an account",
    ]
    assert page.find(class_="govuk-footer__copyright-logo") is None
    assert page.find("script", src="/assets/hub.js")["type"] == "module"


def test_the_vendored_assets_are_served_by_the_hub_without_gds_transport_or_the_crown(client):
    css = client.get("/assets/govuk/govuk-frontend.min.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert b"GDS Transport" not in css.data and b"url(/assets" not in css.data
    assert client.get("/assets/govuk/govuk-frontend.min.js").status_code == 200
    assert client.get("/assets/hub.js").status_code == 200
    assert b"MIT" in client.get("/assets/govuk/LICENSE.txt").data


def test_an_unknown_address_is_the_html_404_page_and_the_api_keeps_json(browser, client):
    page = browser.get("/no-such-page", status=404)
    assert text(page.h1) == "Page not found"
    assert text(page.title) == "Page not found – Knowledge Hub"
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.is_json
    assert client.delete("/healthz").status_code == 405
    assert client.delete("/healthz").is_json


def test_a_page_with_the_wrong_method_is_an_html_405(client):
    response = client.delete("/sign-in")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "GET" in response.headers["Allow"]


def test_a_services_not_found_on_a_page_is_the_html_404_page(signed_in):
    page = signed_in.post("/account/sessions/999999/end", {}, status=404)
    assert text(page.h1) == "Page not found"


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_stored(app, browser):
    browser.get("/register")
    form = {
        "name": "Ada Lovelace",
        "email": "ada@camden.gov.uk",
        "password": "analytical engine notes",
        "role": "officer",
    }
    page = browser.post("/register", form, status=400, csrf=False)
    assert text(page.h1) == "Sorry, there is a problem with this form"
    page = browser.post("/register", {**form, "csrf_token": "forged"}, status=400, csrf=False)
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_a_signed_in_form_needs_the_sessions_token_not_the_signed_out_one(app, signed_in):
    stale = signed_in.client.get_cookie("hub_csrf")
    assert stale is not None  # from the sign-in page
    response = signed_in.client.post(
        "/account/profile", data={"csrf_token": stale.value, "name": "Someone else"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, signed_in.user.id).name == signed_in.user.name


def test_times_are_shown_in_uk_time(app):
    with app.test_request_context():
        assert uk_time(datetime(2026, 7, 1, 8, 30)) == "1 July 2026 at 9:30am"  # BST
        assert uk_time(datetime(2026, 12, 1, 8, 30)) == "1 December 2026 at 8:30am"  # GMT


def test_every_string_on_the_page_goes_through_babel(app):
    """The layout's strings come from the message catalogue: a Welsh translation only
    adds a catalogue."""
    with app.test_request_context():
        from flask import render_template

        html = render_template("web/error.html", title="t", message="m", status=404)
    soup = BeautifulSoup(html, "html.parser")
    assert text(soup.find(class_="govuk-skip-link")) == "Skip to main content"
    assert "gettext" in app.jinja_env.globals


def test_links_kept_by_the_pages_are_the_links_url_for_builds(app):
    """hub.web.links keeps the links it built: the same link again, and each link exactly
    as url_for builds it (query string order, True beside 1, url_for's own options), also
    for an app mounted under a path."""
    from flask import url_for

    from hub.web.links import link

    asked = [
        ("groups_pages.directory", {}),
        ("groups_pages.group", {"group_id": 7}),
        ("search_pages.search", {"q": "flood", "group_id": 4}),
        ("search_pages.search", {"group_id": 4, "q": "flood"}),
        ("search_pages.search", {"q": "flood", "page": 1}),
        ("search_pages.search", {"q": "flood", "page": True}),
        ("search_pages.search", {"q": "flood", "type": None}),
        ("forum_pages.thread", {"thread_id": 3, "_anchor": "reply"}),
    ]
    for root in ("", "/hub"):
        with app.test_request_context("/groups", base_url=f"http://localhost{root}/"):
            for _ in range(2):  # built, then kept
                for endpoint, values in asked:
                    assert link(endpoint, **values) == url_for(endpoint, **values)
            assert link("groups_pages.group", group_id=7) == f"{root}/groups/7"
            assert link("search_pages.search", q="a", page=True).endswith("page=True")
