"""Tags and expertise keep the spelling they were given (`HHSRS` stays `HHSRS`); two
spellings of one tag are the same tag, and filters ignore case."""

from __future__ import annotations

from tests.groups.helpers import API, make_group
from tests.library.helpers import uploaded
from tests.search.helpers import drain, search


def test_a_group_keeps_its_tags_as_typed_one_spelling_of_each(factory):
    owner = factory.person(name="Olive Owner")

    made = owner.post(
        f"{API}/groups",
        json={"name": "Private rented sector", "tags": ["HHSRS", "Damp  and mould ", "hhsrs"]},
    )

    assert made.status_code == 201, made.json
    assert made.json["tags"] == ["Damp and mould", "HHSRS"]  # the first spelling wins
    group_id = made.json["id"]
    assert owner.get(f"{API}/groups/{group_id}").json["tags"] == ["Damp and mould", "HHSRS"]
    listed = owner.get(f"{API}/groups", query_string={"q": "rented"}).json
    assert listed[0]["tags"] == ["Damp and mould", "HHSRS"]


def test_the_directory_finds_a_tag_in_any_case(factory):
    owner = factory.person(name="Olive Owner")
    hhsrs = make_group(owner, name="Private rented sector", tags=["HHSRS"])
    make_group(owner, name="Housing", tags=["housing"])

    for tag in ("HHSRS", "hhsrs", "Hhsrs"):
        found = owner.get(f"{API}/groups", query_string={"tag": tag})
        assert [g["id"] for g in found.json] == [hhsrs], tag
        assert found.json[0]["tags"] == ["HHSRS"]


def test_a_new_list_of_tags_may_respell_one(factory):
    owner = factory.person(name="Olive Owner")
    group_id = make_group(owner, tags=["hhsrs", "damp"])

    changed = owner.patch(f"{API}/groups/{group_id}", json={"tags": ["damp", "HHSRS"]})

    assert changed.status_code == 200, changed.json
    assert changed.json["tags"] == ["damp", "HHSRS"]
    again = owner.patch(f"{API}/groups/{group_id}", json={"tags": ["Damp", "hhsrs", "HHSRS"]})
    assert again.json["tags"] == ["Damp", "hhsrs"]
    assert owner.get(f"{API}/groups/{group_id}").json["tags"] == ["Damp", "hhsrs"]


def test_expertise_keeps_its_case_and_the_finder_ignores_it(factory):
    amira = factory.person(name="Amira Khan")
    james = factory.person(name="James Whitfield")

    saved = amira.patch(f"{API}/me", json={"expertise": ["HHSRS", "Selective Licensing", "hhsrs"]})

    assert saved.status_code == 200, saved.json
    assert saved.json["expertise"] == ["HHSRS", "Selective Licensing"]
    assert james.get(f"{API}/people/{amira.user_id}").json["expertise"] == [
        "HHSRS",
        "Selective Licensing",
    ]
    for params in ({"expertise": "hhsrs"}, {"expertise": "SELECTIVE licensing"}, {"q": "hhs"}):
        found = james.get(f"{API}/people", query_string=params)
        assert [p["id"] for p in found.json] == [amira.user_id], params
        assert found.json[0]["expertise"] == ["HHSRS", "Selective Licensing"]
    respelled = amira.patch(f"{API}/me", json={"expertise": ["hhsrs"]})
    assert respelled.json["expertise"] == ["hhsrs"]


def test_library_tags_keep_their_case_and_filter_in_any_case(factory):
    owner = factory.person(name="Olive Owner")
    group_id = make_group(owner)
    tagged = uploaded(owner, group_id, tags="HHSRS, Damp and mould, hhsrs")
    uploaded(owner, group_id, tags="other")

    assert tagged["tags"] == ["Damp and mould", "HHSRS"]
    found = owner.get(f"{API}/groups/{group_id}/library/files", query_string={"tag": "hhsrs"})
    assert [f["id"] for f in found.json] == [tagged["id"]]
    changed = owner.patch(f"{API}/library/files/{tagged['id']}", json={"tags": ["hhsrs"]})
    assert changed.status_code == 200, changed.json
    assert changed.json["tags"] == ["hhsrs"]


def test_search_filters_by_a_tag_in_any_case_and_shows_it_as_typed(app, factory):
    owner = factory.person(name="Olive Owner")
    group_id = make_group(owner, name="Private rented sector", tags=["HHSRS", "Damp"])
    drain(app)

    for tag in ("HHSRS", "hhsrs"):
        result = search(owner, "rented", tag=tag)
        assert [(i["type"], i["id"]) for i in result["items"]] == [("group", group_id)], tag
        assert result["items"][0]["tags"] == ["Damp", "HHSRS"]
