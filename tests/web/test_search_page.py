"""The search page: results a person may read, with their snippets marked, the total,
facets as filters, "Did you mean", pages of results, and nothing from a private group
for anyone outside it."""

from __future__ import annotations

from tests.groups.helpers import add_member, make_group
from tests.library.helpers import fixture, upload
from tests.search.helpers import drain, reply, start_thread
from tests.web.conftest import Browser, error_summary, field_error, text


def _results(page) -> list:
    listing = page.find("ol", attrs={"aria-labelledby": "results"})
    return listing.find_all("li", class_="hub-list-item") if listing else []


def _titles(page) -> list[str]:
    return [text(item.h3) for item in _results(page)]


def _facet(page, heading_id: str) -> dict[str, str | None]:
    """A facet's entries as a person reads them, each with its link (None when chosen)."""
    listing = page.find("ul", attrs={"aria-labelledby": heading_id})
    if listing is None:
        return {}
    return {text(li): (li.a["href"] if li.a else None) for li in listing.find_all("li")}


def _library(factory):
    owner = factory.person(name="Priya Shah")
    group = make_group(owner, "open", name="Peer challenge network")
    thread = start_thread(
        owner, group, "Preparing for a corporate peer challenge", "How did councils prepare?"
    )
    post = reply(owner, thread, "Our peer review used `<script>alert(1)</script>` & a timeline.")
    return owner, group, thread, post


def test_a_search_lists_what_matches_with_links_and_marked_snippets(factory, signed_in):
    _owner, group, thread, post = _library(factory)
    page = signed_in.get("/search?q=peer")
    assert text(page.h1) == "Search"
    assert text(page.title) == "Search results for ‘peer’ – Knowledge Hub"
    assert page.find(id="q")["value"] == "peer"
    assert text(page.find(id="results")) == "3 results"
    links = {text(item.h3): item.h3.a["href"] for item in _results(page)}
    assert links["Preparing for a corporate peer challenge"] == f"/threads/{thread}"
    assert links["Peer challenge network"] == f"/groups/{group}"
    assert links["Re: Preparing for a corporate peer challenge"] == f"/threads/{thread}"
    snippet = next(i for i in _results(page) if "Re:" in text(i.h3)).find(class_="hub-snippet")
    assert [text(mark) for mark in snippet.find_all("mark")] == ["peer"]
    # What people wrote is shown as text: only the <mark>s are markup.
    assert "<script>alert(1)</script> & a timeline" in text(snippet)
    assert [tag.name for tag in snippet.find_all(True)] == ["mark"]
    about = {text(item.h3): text(item.p) for item in _results(page)}
    assert about["Preparing for a corporate peer challenge"].startswith(
        "Thread · in Peer challenge network · "
    )
    assert about["Peer challenge network"].startswith("Group · ")


def test_facets_filter_by_type_and_by_group(factory, signed_in):
    owner, group, thread, _post = _library(factory)
    other = make_group(owner, "open", name="Scrutiny officers")
    start_thread(owner, other, "Peer support for scrutiny", "Who offers it?")
    page = signed_in.get("/search?q=peer")
    types = _facet(page, "type-filter")
    assert set(types) == {"Threads (2)", "Replies (1)", "Groups (1)"}
    threads = signed_in.get(types["Threads (2)"])
    assert set(_titles(threads)) == {
        "Preparing for a corporate peer challenge",
        "Peer support for scrutiny",
    }
    assert _facet(threads, "type-filter")["Threads (2)"] is None  # chosen: not a link
    groups = _facet(threads, "group-filter")
    assert set(groups) == {"Peer challenge network (1)", "Scrutiny officers (1)"}
    narrowed = signed_in.get(groups["Scrutiny officers (1)"])
    assert _titles(narrowed) == ["Peer support for scrutiny"]
    assert "Any group" in _facet(narrowed, "group-filter")
    assert text(narrowed.find(id="results")) == "1 result"
    anything = signed_in.get(_facet(narrowed, "type-filter")["Any type"])
    assert _titles(anything) == ["Peer support for scrutiny"]  # still in that group


def test_did_you_mean_links_to_the_corrected_search(factory, signed_in):
    _library(factory)
    page = signed_in.get("/search?q=chalenge")
    assert text(page.find(id="results")) == "0 results"
    offer = page.find(id="suggestion")
    assert text(offer).startswith("Did you mean") and text(offer.a) == "challenge"
    corrected = signed_in.get(offer.a["href"])
    assert corrected.find(id="q")["value"] == "challenge"
    assert "Preparing for a corporate peer challenge" in _titles(corrected)


def test_results_come_in_pages(factory, signed_in):
    owner = factory.person()
    group = make_group(owner, "open", name="Waste services")
    for n in range(21):
        start_thread(owner, group, f"Recycling question {n:02d}", "About recycling bins.")
    first = signed_in.get("/search?q=recycling&type=thread")
    assert text(first.find(id="results")) == "21 results"
    assert len(_results(first)) == 20
    nav = first.find("nav", class_="govuk-pagination")
    second = signed_in.get(nav.find("a", rel="next")["href"])
    assert len(_results(second)) == 1
    assert second.find(id="q")["value"] == "recycling"


def test_an_over_long_search_is_refused_beside_the_field(signed_in):
    page = signed_in.get("/search?q=" + "x" * 201)
    assert text(page.title).startswith("Error: ")
    assert error_summary(page) == [("#q", "Enter a search of 200 characters or fewer")]
    assert field_error(page, "q") == "Enter a search of 200 characters or fewer"
    assert _results(page) == [] and page.find(id="results") is None
    # A filter the page never offers, typed into the address, is refused the same way.
    odd = signed_in.get("/search?q=peer&type=spell")
    assert error_summary(odd) == [
        ("#q", "Start a new search: the filters in the address make no sense")
    ]


def test_a_new_search_page_asks_for_words_and_is_in_the_menu(signed_in):
    page = signed_in.get("/search")
    assert text(page.title) == "Search – Knowledge Hub"
    assert page.find(id="results") is None and error_summary(page) == []
    menu = page.find("nav", attrs={"aria-label": "Menu"})
    assert menu.find("a", attrs={"aria-current": "page"}, string=None)["href"] == "/search"


def test_a_private_groups_content_is_found_only_by_its_members(app, factory, signed_in):
    owner = factory.person(name="Cabinet lead")
    group = make_group(owner, "private", name="Cabinet members")
    start_thread(owner, group, "Budget zebrafish options", "The zebrafish paper.")
    outsider = signed_in.get("/search?q=zebrafish")
    assert text(outsider.find(id="results")) == "0 results"
    assert _results(outsider) == []
    assert _facet(outsider, "type-filter") == {} and _facet(outsider, "group-filter") == {}
    assert "zebrafish" not in text(outsider.find(id="main-content")).replace("‘zebrafish’", "")
    assert "Cabinet members" not in str(outsider)
    assert signed_in.get("/search?q=zebrafsh").find(id="suggestion") is None

    member = Browser(app)
    member.user = factory.user()
    add_member(owner, group, factory.client_for(member.user))
    member.sign_in(member.user)
    found = member.get("/search?q=zebrafish")
    assert text(found.find(id="results")) == "1 result"
    assert _titles(found) == ["Budget zebrafish options"]
    assert set(_facet(found, "group-filter")) == {"Cabinet members (1)"}


def test_a_person_found_links_to_their_profile(app, factory, signed_in):
    priya = factory.user(name="Priya Shah", job_title="Head of audit")
    drain(app)
    page = signed_in.get("/search?q=priya&type=person")
    assert [(text(i.h3), i.h3.a["href"]) for i in _results(page)] == [
        ("Priya Shah", f"/people/{priya.id}")
    ]


def test_a_file_found_by_its_text_leads_to_its_page_and_a_suggestion_to_its_list(
    factory, signed_in
):
    owner = factory.person()
    group = make_group(owner, "open", name="Allotments")
    uploaded = upload(owner, group, "strategy.docx", fixture("sample.docx"))
    idea = {"title": "A heron survey", "body": "Count them."}
    suggestion = owner.post(f"/api/v1/groups/{group}/suggestions", json=idea).json["id"]
    page = signed_in.get("/search?q=heron")
    links = {text(item.h3): item.h3.a["href"] for item in _results(page)}
    assert links == {
        "strategy": f"/files/{uploaded.json['id']}",
        "A heron survey": f"/groups/{group}/suggestions#suggestion-{suggestion}",
    }
    assert text(signed_in.get(links["strategy"]).h1) == "strategy"
