"""Handles: given at registration, shown on profiles, changed by their owner, found by the
people finder, and mentioned with `@` in posts (with suggestions of whom to mention)."""

from __future__ import annotations

import json

import pytest

from tests.groups.helpers import (
    API,
    add_member,
    make_group,
    notifications,
    reply,
    start_thread,
)


def register(client, email: str, name: str):
    body = {
        "email": email,
        "password": "a long and unusual passphrase",
        "name": name,
        "role": "councillor",
    }
    response = client.post(f"{API}/auth/register", json=body)
    assert response.status_code == 201, response.json
    return response.json


def mentioned(person) -> list[int]:
    """The posts whose mentions notified this person."""
    return [n["data"]["post_id"] for n in notifications(person) if n["kind"] == "mention"]


# --- Given, shown and changed --------------------------------------------------------


def test_registering_gives_a_handle_made_from_the_name_without_titles(app):
    first = register(app.test_client(), "jw@leeds.gov.uk", "Cllr James Whitfield")
    second = register(app.test_client(), "jw@york.gov.uk", "James Whitfield")
    third = register(app.test_client(), "jw@hull.gov.uk", "Dr James   Whitfield")
    zoe = register(app.test_client(), "zoe@leeds.gov.uk", "Zoë O'Brien-Smith")

    assert first["handle"] == "james.whitfield"
    assert second["handle"] == "james.whitfield2"
    assert third["handle"] == "james.whitfield3"
    assert zoe["handle"] == "zoë.o.brien.smith"


def test_the_handle_shows_on_every_profile_and_in_the_people_finder(factory):
    james = factory.person(name="Cllr James Whitfield")
    amira = factory.person(name="Amira Khan")

    assert james.get(f"{API}/me").json["handle"] == "james.whitfield"
    assert amira.get(f"{API}/people/{james.user_id}").json["handle"] == "james.whitfield"
    listed = amira.get(f"{API}/people?q=whitfield")
    assert [p["handle"] for p in listed.json] == ["james.whitfield"]


def test_you_change_your_handle_and_are_found_by_it(factory):
    james = factory.person(name="James Whitfield")
    amira = factory.person(name="Amira Khan")

    changed = james.patch(f"{API}/me", json={"handle": "Cllr.JW-2024"})

    assert changed.status_code == 200, changed.json
    assert changed.json["handle"] == "cllr.jw-2024"  # taken in lower case
    assert amira.get(f"{API}/people/{james.user_id}").json["handle"] == "cllr.jw-2024"
    for q in ("jw", "jw-2024", "@cllr.jw"):
        found = amira.get(f"{API}/people", query_string={"q": q})
        assert [p["id"] for p in found.json] == [james.user_id], q
    # Its own handle again is no conflict.
    assert james.patch(f"{API}/me", json={"handle": "cllr.jw-2024"}).status_code == 200


def test_a_handle_someone_has_is_refused_with_409(factory):
    factory.person(name="James Whitfield")
    amira = factory.person(name="Amira Khan")

    taken = amira.patch(f"{API}/me", json={"handle": "James.Whitfield"})

    assert taken.status_code == 409, taken.json
    assert "@james.whitfield" in taken.json["message"]
    assert amira.get(f"{API}/me").json["handle"] == "amira.khan"


@pytest.mark.parametrize(
    "handle",
    ["", "james whitfield", "-james", "james.", "@james", "jw!", "j" * 31],
)
def test_a_malformed_handle_is_refused_with_422(factory, handle):
    amira = factory.person(name="Amira Khan")

    refused = amira.patch(f"{API}/me", json={"handle": handle})

    assert refused.status_code == 422, refused.json
    assert "handle" in refused.json["errors"]["json"]
    assert amira.get(f"{API}/me").json["handle"] == "amira.khan"


# --- Mentions ------------------------------------------------------------------------


def test_a_handle_mentions_its_person_whatever_their_name(factory):
    owner = factory.person(name="Olive Owner")
    james = factory.person(name="Cllr James Whitfield")
    group_id = make_group(owner, "restricted")
    add_member(owner, group_id, james)
    thread = start_thread(owner, group_id)

    by_handle = reply(owner, thread["id"], "Thanks @James.Whitfield.")
    by_name = reply(owner, thread["id"], "Over to you, @Cllr James Whitfield!")

    assert sorted(mentioned(james)) == sorted([by_handle["id"], by_name["id"]])


def test_a_member_s_name_mentions_them_without_their_title(factory):
    owner = factory.person(name="Olive Owner")
    james = factory.person(name="Cllr James Whitfield")
    namesake = factory.person(name="Dr Amira Khan")
    amira = factory.person(name="Amira Khan")
    group_id = make_group(owner, "open")
    for person in (james, namesake, amira):
        add_member(owner, group_id, person)
    thread = start_thread(owner, group_id)

    post = reply(owner, thread["id"], "Ask @James Whitfield, he knows.")
    reply(owner, thread["id"], "Ask @Amira Khan.")  # two members: neither

    assert mentioned(james) == [post["id"]]
    assert mentioned(namesake) == mentioned(amira) == []


def test_a_handle_mentions_only_people_who_may_read_the_group(factory):
    owner = factory.person(name="Olive Owner")
    outsider = factory.person(name="Oscar Outsider")
    reader = factory.person(name="Rita Reader")
    closed = make_group(owner, "private")
    open_group = make_group(owner, "open")

    reply(owner, start_thread(owner, closed)["id"], "@oscar.outsider should see this.")
    post = reply(owner, start_thread(owner, open_group)["id"], "@rita.reader, see this.")

    assert mentioned(outsider) == []
    assert mentioned(reader) == [post["id"]]  # an open group: readable, not a member


def test_a_handle_wins_over_a_one_word_name_and_loses_to_a_longer_one(factory):
    owner = factory.person(name="Olive Owner")
    sam = factory.person(name="Sam")  # one word
    other = factory.person(name="Sam Jones")
    group_id = make_group(owner, "open")
    add_member(owner, group_id, sam)
    add_member(owner, group_id, other)
    other.patch(f"{API}/me", json={"handle": "samj"})
    assert sam.get(f"{API}/me").json["handle"] == "sam"
    thread = start_thread(owner, group_id)

    longer = reply(owner, thread["id"], "Thanks @Sam Jones.")
    handle = reply(owner, thread["id"], "Thanks @sam.")

    assert mentioned(other) == [longer["id"]]
    assert mentioned(sam) == [handle["id"]]


def test_an_email_address_or_code_mentions_no_one(factory):
    owner = factory.person(name="Olive Owner")
    james = factory.person(name="James Whitfield")
    group_id = make_group(owner, "open")
    add_member(owner, group_id, james)

    reply(
        owner, start_thread(owner, group_id)["id"], "Mail x@james.whitfield or `@james.whitfield`"
    )

    assert mentioned(james) == []


# --- Suggestions of whom to mention --------------------------------------------------


def test_suggestions_are_the_members_whose_handle_or_name_begins_with_the_text(factory):
    owner = factory.person(name="Olive Owner")
    james = factory.person(name="Cllr James Whitfield")
    jane = factory.person(name="Jane Ames")
    hugo = factory.person(name="Hugo Jameson")
    factory.person(name="James Outsider")  # not a member
    group_id = make_group(owner, "restricted")
    for person in (james, jane, hugo):
        add_member(owner, group_id, person)
    url = f"{API}/groups/{group_id}/mention-suggestions"

    found = jane.get(url, query_string={"q": "jam"})

    assert found.status_code == 200, found.json
    # By handle (james.whitfield), by a later word of the name (Jameson); in name order.
    assert [(p["name"], p["handle"]) for p in found.json] == [
        ("Cllr James Whitfield", "james.whitfield"),
        ("Hugo Jameson", "hugo.jameson"),
    ]
    assert "email" not in found.json[0]
    assert [p["id"] for p in jane.get(url, query_string={"q": "@CLLR"}).json] == [james.user_id]
    assert jane.get(url, query_string={"q": "j%"}).json == []
    everyone = jane.get(url, query_string={"page_size": 2})
    assert len(everyone.json) == 2
    assert json.loads(everyone.headers["X-Pagination"])["total"] == 4


def test_only_members_who_may_post_get_suggestions(factory, client):
    owner = factory.person(name="Olive Owner")
    outsider = factory.person(name="Oscar Outsider")
    open_id = make_group(owner, "open")
    hidden_id = make_group(owner, "hidden")

    assert outsider.get(f"{API}/groups/{open_id}/mention-suggestions").status_code == 403
    assert outsider.get(f"{API}/groups/{hidden_id}/mention-suggestions").status_code == 404
    assert client.get(f"{API}/groups/{open_id}/mention-suggestions").status_code == 401
