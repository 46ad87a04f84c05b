"""Your account as a page: profile, sessions, tokens, password, export, closing."""

from __future__ import annotations

import io
import zipfile

from hub.auth.models import ApiToken, BrowserSession, User
from hub.extensions import db
from tests.factories import PASSWORD
from tests.web.conftest import Browser, banner, error_summary, field_error, text


def test_the_account_page_shows_your_profile_sessions_and_tokens(app, factory, signed_in):
    Browser(app).sign_in(signed_in.user)  # signs in elsewhere
    factory.client_for(signed_in.user)  # makes a token, "tests"
    page = signed_in.get("/account")
    assert text(page.h1) == "Your account"
    assert page.find(id="name")["value"] == signed_in.user.name
    assert page.find("input", {"name": "role", "value": "officer"}).has_attr("checked")
    rows = page.find(id="sessions").find_next("table").tbody.find_all("tr")
    assert len(rows) == 2
    assert sum("This one" in text(row) for row in rows) == 1
    assert "Sign out of this one" in text(rows[0])
    tokens = page.find(id="tokens").find_next("table").tbody.find_all("tr")
    assert [text(row.td) for row in tokens] == ["tests"]
    assert "Never" in text(tokens[0])


def test_editing_your_profile_saves_it_and_says_so(app, signed_in):
    signed_in.get("/account")
    response = signed_in.post(
        "/account/profile",
        {
            "form": "profile",
            "name": "Amira Khan",
            "role": "councillor",
            "organisation": "Camden Council",
            "job_title": "",
            "region": "London",
            "bio": "Planning and *housing*.",
            "expertise": "planning, Housing",
        },
    )
    page = signed_in.get(response.location)
    assert banner(page) == "Your profile has been saved."
    assert page.find(id="expertise")["value"] == "Housing, planning"  # kept as typed
    with app.app_context():
        user = db.session.get(User, signed_in.user.id)
        assert (user.name, user.role, user.region) == ("Amira Khan", "councillor", "London")


def test_a_blank_name_is_refused_beside_the_field_and_nothing_changes(app, signed_in):
    signed_in.get("/account")
    page = signed_in.post(
        "/account/profile", {"form": "profile", "name": "", "region": "Wales"}, status=200
    )
    assert error_summary(page) == [("#name", "Enter your full name")]
    assert field_error(page, "name") == "Enter your full name"
    assert page.find(id="region")["value"] == "Wales"
    with app.app_context():
        assert db.session.get(User, signed_in.user.id).region is None


def test_signing_out_of_another_session_ends_only_that_one(app, factory, signed_in):
    other = Browser(app)
    other.sign_in(signed_in.user)
    page = signed_in.get("/account")
    forms = page.find(id="sessions").find_next("table").find_all("form")
    other_form = next(f for f in forms if "This one" not in text(f.find_parent("tr")))
    response = signed_in.post(other_form["action"], {})
    assert banner(signed_in.get(response.location)) == "That session has been signed out."
    assert text(other.get("/").h1) == "Knowledge Hub"  # signed out
    assert signed_in.signed_in()


def test_signing_out_of_this_session_signs_you_out(app, signed_in):
    page = signed_in.get("/account")
    row = next(r for r in page.find_all("tr") if "This one" in text(r))
    response = signed_in.post(row.form["action"], {})
    assert response.location == "/?done=signed-out"
    with app.app_context():
        assert db.session.query(BrowserSession).count() == 0


def test_revoking_a_token_stops_it_working(app, factory, signed_in):
    api = factory.client_for(signed_in.user)
    page = signed_in.get("/account")
    form = page.find(id="tokens").find_next("table").form
    response = signed_in.post(form["action"], {})
    assert banner(signed_in.get(response.location)) == "The token has been revoked."
    assert api.get("/api/v1/me").status_code == 401
    with app.app_context():
        assert db.session.query(ApiToken).count() == 0


def test_someone_elses_token_is_not_found(app, factory, signed_in):
    api = factory.client_for(factory.user())
    with app.app_context():
        token_id = db.session.query(ApiToken.id).scalar()
    page = signed_in.post(f"/account/tokens/{token_id}/revoke", {}, status=404)
    assert text(page.h1) == "Page not found"
    assert api.get("/api/v1/me").status_code == 200


def test_changing_your_password_needs_the_current_one(app, signed_in):
    signed_in.get("/account")
    page = signed_in.post(
        "/account/password",
        {"current_password": "not it", "new_password": "a brand new passphrase"},
        status=200,
    )
    assert error_summary(page) == [("#current_password", "Your current password is wrong.")]
    response = signed_in.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert banner(signed_in.get(response.location)).startswith("Your password has been changed")
    again = Browser(app)
    again.sign_in(signed_in.user, "a brand new passphrase")


def test_a_weak_new_password_is_refused_beside_it(signed_in):
    signed_in.get("/account")
    page = signed_in.post(
        "/account/password", {"current_password": PASSWORD, "new_password": "short"}, status=200
    )
    assert "10 to 256 characters" in field_error(page, "new_password")


def test_the_export_is_a_zip_of_your_data(signed_in):
    page = signed_in.get("/account")
    link = page.find("a", string="Download your data (zip)")
    response = signed_in.client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "README.txt" in names


def test_closing_your_account_needs_your_password_then_erases_it(app, signed_in):
    signed_in.get("/account")
    page = signed_in.post("/account/close", {"password": "not it"}, status=200)
    assert error_summary(page)[0][0] == "#password"
    assert field_error(page, "password").startswith("Your password is wrong")
    with app.app_context():
        assert db.session.get(User, signed_in.user.id) is not None
    response = signed_in.post("/account/close", {"password": PASSWORD})
    page = signed_in.get(response.location)
    assert banner(page) == "Your account has been closed and your personal data erased."
    assert not signed_in.signed_in()
    with app.app_context():
        assert db.session.get(User, signed_in.user.id) is None
