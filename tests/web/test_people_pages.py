"""The people pages: the people finder with its filters as a form, a person's profile, and
asking to connect, as a person does it in a browser."""

from __future__ import annotations

from hub.db import utcnow
from tests.search.helpers import drain
from tests.web.conftest import Browser, banner, error_summary, field_error, text

API = "/api/v1"


def _names(page) -> list[str]:
    listing = page.find("ul", attrs={"aria-labelledby": "results"})
    return (
        [text(item.h3) for item in listing.find_all("li", class_="hub-list-item")]
        if listing
        else []
    )


def _signed_in(app, user) -> Browser:
    person = Browser(app)
    person.user = user
    person.sign_in(user)
    return person


def test_the_finder_filters_people_by_words_role_and_expertise(app, factory, signed_in):
    amira = factory.user(
        name="Amira Khan", role="councillor", organisation="Leeds City Council", job_title="Leader"
    )
    factory.user(name="Ben Otto", role="officer", organisation="Hull City Council")
    changed = factory.client_for(amira).patch(f"{API}/me", json={"expertise": ["Planning"]})
    assert changed.status_code == 200, changed.json
    drain(app)
    page = signed_in.get("/people")
    assert text(page.h1) == "People"
    assert {"Amira Khan", "Ben Otto"} <= set(_names(page))
    by_word = signed_in.get("/people?q=leeds")
    assert _names(by_word) == ["Amira Khan"]
    assert by_word.find(id="q")["value"] == "leeds"
    assert text(by_word.find(id="results")) == "1 person"
    item = by_word.find("ul", attrs={"aria-labelledby": "results"}).li
    assert "Councillor · Leader · Leeds City Council" in text(item)
    assert [text(tag) for tag in item.find_all("strong", class_="govuk-tag")] == ["Planning"]
    by_role = signed_in.get("/people?role=councillor&organisation=leeds city council")
    assert _names(by_role) == ["Amira Khan"]
    assert by_role.find(id="role").find("option", selected=True)["value"] == "councillor"
    assert _names(signed_in.get("/people?expertise=planning")) == ["Amira Khan"]


def test_a_filter_that_makes_no_sense_is_refused_beside_its_field(signed_in):
    page = signed_in.get("/people?role=mayor")
    assert error_summary(page) == [("#role", "Must be one of: councillor, officer, other.")]
    assert field_error(page, "role") == "Must be one of: councillor, officer, other."
    assert text(page.title).startswith("Error: People")


def test_a_profile_shows_who_they_are_and_asking_to_connect_is_answered(app, factory):
    amira = factory.user(name="Amira Khan", role="councillor", organisation="Leeds City Council")
    factory.client_for(amira).patch(
        f"{API}/me", json={"expertise": ["planning", "audit"], "handle": "amira"}
    )
    ben = _signed_in(app, factory.user(name="Ben Otto"))
    found = ben.get("/people")
    link = next(a for a in found.find_all("a") if text(a) == "Amira Khan")
    page = ben.get(link["href"])
    assert text(page.h1) == "Amira Khan"
    assert text(page.title) == "Amira Khan – Knowledge Hub"
    assert text(page.find(class_="govuk-caption-l")) == "@amira"
    rows = {text(row.dt): text(row.dd) for row in page.find_all(class_="govuk-summary-list__row")}
    assert rows == {"Role": "Councillor", "Organisation": "Leeds City Council"}
    tags = page.find("ul", attrs={"aria-labelledby": "expertise"})
    assert [text(t) for t in tags.find_all("strong")] == ["audit", "planning"]
    assert tags.a["href"] == "/people?expertise=audit"
    assert text(page.find(id="connection").find_next("p")) == "You are not connected."

    form = page.find("form", action=f"/people/{amira.id}/connect")
    assert text(form.button) == "Connect"
    asked = ben.post(form["action"], {})
    after = ben.get(asked.location)
    assert banner(after) == "Your request to connect has been sent."
    assert "You have asked to connect" in text(after.find(id="connection").find_next("p"))
    assert after.find("form", action=f"/people/{amira.id}/connect") is None

    amira_browser = _signed_in(app, amira)
    theirs = amira_browser.get(f"/people/{ben.user.id}")
    accept = theirs.find("form", action=f"/people/{ben.user.id}/connect")
    assert text(accept.button) == "Accept and connect"
    accepted = amira_browser.get(amira_browser.post(accept["action"], {}).location)
    assert banner(accepted) == "You are now connected."
    assert text(ben.get(f"/people/{amira.id}").find(id="connection").find_next("p")) == (
        "You are connected."
    )


def test_your_own_profile_has_no_connect_button(signed_in):
    page = signed_in.get(f"/people/{signed_in.user.id}")
    assert text(page.h1) == signed_in.user.name
    assert page.find("form", action=f"/people/{signed_in.user.id}/connect") is None
    assert page.find("a", string="Edit your profile")["href"] == "/account"


def test_a_blocked_person_cannot_ask_and_blocking_shows_on_the_profile(app, factory, signed_in):
    blocker = factory.user(name="Carla Reyes")
    assert (
        factory.client_for(blocker).post(f"{API}/people/{signed_in.user.id}/block").status_code
        == 204
    )
    page = signed_in.get(f"/people/{blocker.id}")
    assert text(page.find(id="connection").find_next("p")) == (
        "You cannot ask this person to connect."
    )
    assert page.find("form", action=f"/people/{blocker.id}/connect") is None
    refused = signed_in.post(f"/people/{blocker.id}/connect", {}, status=403)
    assert "not accepting connection requests" in text(refused.find(id="main-content"))
    own = _signed_in(app, blocker).get(f"/people/{signed_in.user.id}")
    assert text(own.find(id="connection").find_next("p")) == "You have blocked this person."


def test_a_person_who_is_not_there_is_the_404_page(factory, signed_in):
    gone = factory.user(name="Dev Gone", deactivated_at=utcnow())
    for path in (f"/people/{gone.id}", "/people/999999"):
        page = signed_in.get(path, status=404)
        assert text(page.h1) == "Page not found"
        assert "Dev Gone" not in str(page)
    signed_in.post(f"/people/{gone.id}/connect", {}, status=404)
