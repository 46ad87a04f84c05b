"""Search through GET /api/v1/search: the query language, filters, facets, snippets."""

from tests.search.helpers import (
    API,
    add_member,
    drain,
    make_group,
    refs,
    reply,
    search,
    start_thread,
    suggest,
)


def _library(factory):
    """An open group with a few threads, posts and a suggestion; returns (owner, ids)."""
    owner = factory.person(
        name="Priya Shah", job_title="Head of audit", organisation="Leeds City Council"
    )
    group = make_group(
        owner,
        "open",
        name="Peer challenge network",
        description="Councils learning from each other.",
        tags=["audit"],
    )
    ids = {"group": group}
    ids["thread"] = start_thread(
        owner,
        group,
        "Preparing for a corporate peer challenge",
        "How did other councils prepare the position statement?",
    )
    ids["post"] = reply(
        owner, ids["thread"], "Our organisations shared a timeline with the review team."
    )
    ids["phrase"] = reply(
        owner, ids["thread"], "The challenge team read our statement; peer review went well."
    )
    ids["suggestion"] = suggest(
        owner, group, "Publish every peer review", "Open reports help other authorities learn."
    )
    return owner, ids


def test_search_finds_threads_posts_suggestions_groups_and_people(factory):
    owner, ids = _library(factory)
    result = search(owner, "peer")
    assert set(result) == {"total", "page", "page_size", "items", "facets", "suggestion"}
    assert {
        ("thread", ids["thread"]),
        ("post", ids["phrase"]),
        ("suggestion", ids["suggestion"]),
        ("group", ids["group"]),
    } <= refs(result)
    item = next(i for i in result["items"] if i["type"] == "thread")
    assert item["url"] == f"{API}/threads/{ids['thread']}"
    assert item["group"] == {"id": ids["group"], "name": "Peer challenge network"}
    assert item["created_at"].endswith("Z") and item["score"] > 0
    assert refs(search(owner, "Priya")) == {("person", owner.user_id)}
    assert search(owner, "peer")["suggestion"] is None


def test_stemming_finds_british_plurals_and_the_title_ranks_first(factory):
    owner, ids = _library(factory)
    assert ("post", ids["post"]) in refs(search(owner, "organisation"))
    council = search(owner, "council")
    assert ("thread", ids["thread"]) in refs(council)
    assert council["items"][0]["type"] in ("thread", "group", "person")
    # "preparing" is in the thread's title and body: the title boost puts it first.
    assert search(owner, "prepare")["items"][0] == next(
        i for i in search(owner, "prepare")["items"] if i["type"] == "thread"
    )


def test_phrases_prefixes_and_negation(factory):
    owner, ids = _library(factory)
    phrase = refs(search(owner, '"peer review"'))
    assert ("post", ids["phrase"]) in phrase
    assert ("post", ids["post"]) not in phrase
    assert ("post", ids["post"]) in refs(search(owner, "organ*"))
    assert ("post", ids["post"]) in refs(search(owner, "timel*"))
    without = refs(search(owner, "review -statement"))
    assert ("post", ids["phrase"]) not in without
    assert ("suggestion", ids["suggestion"]) in without
    assert search(owner, "statement peer")["total"] >= 1
    assert search(owner, "statement zebra")["total"] == 0


def test_filters_by_type_group_and_tag_and_counts_facets(factory):
    owner, ids = _library(factory)
    other = make_group(owner, "open", name="Housing officers", tags=["housing"])
    start_thread(owner, other, "Peer support for housing", "Temporary accommodation peers.")
    everything = search(owner, "peer*")
    assert everything["facets"]["type"]["thread"] == 2
    groups = {g["id"]: g for g in everything["facets"]["group"]}
    assert groups[other] == {"id": other, "name": "Housing officers", "count": 1}
    assert groups[ids["group"]]["count"] >= 3
    assert everything["total"] == sum(everything["facets"]["type"].values())

    threads = search(owner, "peer*", type="thread")
    assert {i["type"] for i in threads["items"]} == {"thread"} and threads["total"] == 2
    assert {i["type"] for i in search(owner, "peer*", type="thread,suggestion")["items"]} == {
        "thread",
        "suggestion",
    }
    in_group = search(owner, "peer*", group_id=other)
    assert refs(in_group) == {("thread", in_group["items"][0]["id"])}
    assert len(refs(search(owner, "housing"))) == 2
    assert refs(search(owner, "housing", tag="housing")) == {("group", other)}
    assert search(owner, "peer*", tag="housing")["total"] == 0
    bad = owner.get(f"{API}/search", query_string={"q": "peer", "type": "memo"})
    assert bad.status_code == 422 and "type" in bad.json["errors"]["query"]
    assert owner.get(f"{API}/search").status_code == 422


def test_the_group_facet_names_the_twenty_groups_with_most_matches(factory):
    owner = factory.person()
    groups = [make_group(owner, "open", name=f"Waste group {n}") for n in range(24)]
    busiest, second = groups[5], groups[9]
    for group in groups:
        threads = {busiest: 3, second: 2}.get(group, 1)
        for n in range(threads):
            start_thread(owner, group, f"Kerbside recycling {n}", "Food waste rounds.")

    result = search(owner, "kerbside")

    assert result["total"] == 3 + 2 + 22
    counts = [(g["id"], g["count"]) for g in result["facets"]["group"]]
    ones = sorted(g for g in groups if g not in (busiest, second))[:18]
    assert counts == [(busiest, 3), (second, 2)] + [(g, 1) for g in ones]
    assert result["facets"]["group"][0]["name"] == "Waste group 5"


def test_snippets_mark_the_words_and_escape_the_rest(factory):
    owner = factory.person()
    group = make_group(owner, "open")
    thread = start_thread(
        owner,
        group,
        "Scrutiny",
        "Budget <script>alert(1)</script> scrutiny of councils & their budgets",
    )
    result = search(owner, "budgets")
    snippet = next(i["snippet"] for i in result["items"] if i["id"] == thread)
    assert "<mark>Budget</mark>" in snippet and "<mark>budgets</mark>" in snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet and "&amp;" in snippet
    plain = search(owner, "budgets", highlight="false")
    assert "<mark>" not in plain["items"][0]["snippet"]


def _snippet(person, q: str, item_id: int) -> str:
    return next(i["snippet"] for i in search(person, q)["items"] if i["id"] == item_id)


def test_snippets_show_the_passages_where_the_words_are_deep_in_a_long_text(factory):
    owner = factory.person()
    group = make_group(owner, "open")
    filler = "The committee noted the minutes of the previous meeting. " * 120
    body = (
        filler
        + "Homelessness prevention funding rose this year. "
        + filler
        + "Our homelessness team doubled."
    )
    thread = start_thread(owner, group, "Annual report", body)
    snippet = _snippet(owner, "homelessness", thread)
    passages = snippet.split(" … ")
    assert len(passages) == 2
    assert "<mark>Homelessness</mark> prevention funding" in passages[0]
    assert "<mark>homelessness</mark> team doubled" in passages[1]
    assert all(len(p.replace("<mark>", "").replace("</mark>", "")) <= 240 for p in passages)


def test_snippets_mark_every_shown_match_once_and_stay_short(factory):
    owner = factory.person()
    group = make_group(owner, "open")
    repeated = start_thread(
        owner, group, "Minutes", " ".join(["The housing policy review met on Tuesday."] * 20)
    )
    snippet = _snippet(owner, "housing", repeated)
    # Passages do not overlap, so no shown "housing" is left unmarked.
    assert snippet.count("housing") == snippet.count("<mark>housing</mark>") > 2
    long_word = start_thread(owner, group, "Codes", "Reference " + "x" * 3000 + " ends here.")
    shown = _snippet(owner, "xxxx*", long_word).replace("<mark>", "").replace("</mark>", "")
    assert 0 < len(shown) <= 2 * 240 + 3


def test_snippets_mark_words_a_prefix_search_found_and_only_whole_tokens(factory):
    owner = factory.person()
    group = make_group(owner, "open")
    thread = start_thread(
        owner, group, "Contacts", "Write to housing@leeds.gov.uk about housing in Leeds."
    )
    assert "<mark>housing</mark> in" in _snippet(owner, "hous*", thread)
    # Inside the address "housing" and "leeds" are words too.
    assert "to <mark>housing</mark>@leeds" in _snippet(owner, "hous*", thread)
    assert "@<mark>leeds</mark>.gov.uk" in _snippet(owner, "lee*", thread)
    assert "@<mark>leeds</mark>.gov.uk about housing in <mark>Leeds</mark>." in _snippet(
        owner, "leeds", thread
    )
    assert "@<mark>leeds</mark>.<mark>gov</mark>.<mark>uk</mark> about" in _snippet(
        owner, "leeds.gov.uk", thread
    )


def test_words_inside_web_and_email_addresses_and_dotted_names_are_words(factory):
    owner = factory.person()
    group = make_group(owner, "open")
    site = start_thread(owner, group, "Open data", "The portal is at www.openkent.org.uk now.")
    mail = start_thread(owner, group, "Contacts", "Write to j.smith@kent.gov.uk about parking.")
    domain = start_thread(owner, group, "Domains", "Every council has a local.gov.uk address.")
    apart = start_thread(owner, group, "Kent", "Kent and the UK: local gov guidance, uk wide.")

    assert ("thread", site) in refs(search(owner, "openkent"))
    assert "www.<mark>openkent</mark>.org.uk" in _snippet(owner, "openkent", site)
    assert ("thread", mail) in refs(search(owner, "smith"))
    assert {("thread", mail), ("thread", apart)} <= refs(search(owner, "kent"))
    # A dotted name typed as a query is the phrase of its words: it finds the address,
    # not a text holding the same words apart.
    assert refs(search(owner, "local.gov.uk")) == {("thread", domain)}
    assert refs(search(owner, "j.smith@kent.gov.uk")) == {("thread", mail)}
    assert refs(search(owner, "kent.gov.uk")) == {("thread", mail)}
    assert refs(search(owner, '"a local.gov.uk address"')) == {("thread", domain)}
    assert refs(search(owner, "www.openkent.org.uk -parking")) == {("thread", site)}


def test_pagination(factory):
    owner = factory.person()
    group = make_group(owner, "open")
    thread = start_thread(owner, group, "Waste collection", "Bins weekly.")
    for n in range(7):
        reply(owner, thread, f"Bins reply number {n}.")
    first = search(owner, "bins", page_size=3)
    second = search(owner, "bins", page_size=3, page=2)
    last = search(owner, "bins", page_size=3, page=3)
    assert first["total"] == 8 and (first["page"], first["page_size"]) == (1, 3)
    assert len(first["items"]) == 3 and len(second["items"]) == 3 and len(last["items"]) == 2
    assert not refs(first) & refs(second)
    assert search(owner, "bins", page=9)["items"] == []


def test_suggestion_offers_the_nearest_readable_word(factory):
    owner, ids = _library(factory)
    result = search(owner, "chalenge")
    assert result["total"] == 0
    assert result["suggestion"] == "challenge"
    assert search(owner, "peer chalenge")["suggestion"] == "peer challenge"
    assert search(owner, "xqzvkw")["suggestion"] is None


def test_edits_and_deletions_reach_the_index(factory):
    owner = factory.person()
    group = make_group(owner, "open")
    thread = start_thread(owner, group, "Libraries", "Opening hours.")
    post = reply(owner, thread, "Mobile library routes.")
    assert ("post", post) in refs(search(owner, "mobile"))
    assert owner.patch(f"{API}/posts/{post}", json={"body": "Volunteer rotas."}).status_code == 200
    assert search(owner, "mobile")["total"] == 0
    assert ("post", post) in refs(search(owner, "volunteer"))
    assert (
        owner.patch(f"{API}/threads/{thread}", json={"title": "Branch libraries"}).status_code
        == 200
    )
    assert search(owner, "volunteer")["items"][0]["title"] == "Re: Branch libraries"
    assert owner.delete(f"{API}/posts/{post}").status_code == 204
    assert search(owner, "volunteer")["total"] == 0
    other = factory.person()
    add_member(owner, group, other)
    reply(other, thread, "Mobile again")
    assert owner.delete(f"{API}/threads/{thread}").status_code == 204
    assert search(owner, "mobile OR hours OR libraries")["total"] == 0
    assert search(owner, "branch")["total"] == 0


def test_people_leave_the_index_when_profiles_change(app, factory):
    person = factory.person(name="Olumide Adeyemi")
    drain(app)
    assert refs(search(person, "olumide")) == {("person", person.user_id)}
    assert (
        person.patch(
            f"{API}/me", json={"name": "Ola Adeyemi", "expertise": ["planning"]}
        ).status_code
        == 200
    )
    assert search(person, "olumide")["total"] == 0
    assert refs(search(person, "planning", type="person")) == {("person", person.user_id)}


MARKDOWN_BODY = (
    "## Damp survey\n\n"
    "**Damp** and mould in _council_ homes: read [the damp guidance]"
    "(https://example.gov.uk/damp_guide) and run `damp-check` first.\n\n"
    "- *damp* walls\n- ~~nothing~~ else"
)
MARKUP = ("*", "#", "_", "`", "[", "](", "example.gov.uk")


def test_snippets_show_the_text_a_reader_sees_not_the_markdown(factory):
    owner = factory.person()
    group = make_group(owner, "open")
    thread = start_thread(owner, group, "Housing conditions", MARKDOWN_BODY)
    found = {
        "thread": thread,
        "post": reply(owner, thread, MARKDOWN_BODY),
        "suggestion": suggest(owner, group, "Housing conditions", MARKDOWN_BODY),
    }
    for kind, item_id in found.items():
        snippet = _snippet(owner, "damp", item_id)
        assert "<mark>Damp</mark> survey" in snippet, (kind, snippet)
        assert "<mark>Damp</mark> and mould in council homes" in snippet, (kind, snippet)
        assert "read the <mark>damp</mark> guidance and run" in snippet, (kind, snippet)
        assert [m for m in MARKUP if m in snippet] == [], (kind, snippet)


def test_words_across_markdown_still_match_and_link_targets_do_not(factory):
    owner = factory.person()
    group = make_group(owner, "open")
    thread = start_thread(owner, group, "Housing conditions", MARKDOWN_BODY)
    # Emphasis does not break a phrase; a code span's words are words.
    assert ("thread", thread) in refs(search(owner, '"damp and mould in council homes"'))
    assert ("thread", thread) in refs(search(owner, "check"))
    # The address behind a link is not on the page a person reads.
    assert ("thread", thread) not in refs(search(owner, "guide"))
