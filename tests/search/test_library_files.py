"""Files made by a real office suite are found by words from their body, by members only."""

from tests.groups.helpers import add_member, make_group
from tests.library.helpers import PHRASES, uploaded

API = "/api/v1"


def search(person, q: str, **query) -> dict:
    response = person.get(f"{API}/search", query_string={"q": q, **query})
    assert response.status_code == 200, response.json
    return response.json


def test_every_office_format_is_found_by_words_from_its_body(factory):
    owner, member, outsider = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, "private", name="Board papers")
    add_member(owner, group_id, member)
    files = {
        name: uploaded(owner, group_id, name, title=f"Paper {n}")
        for n, name in enumerate(sorted(PHRASES))
    }

    for name, phrase in PHRASES.items():
        found = search(member, f'"{phrase}"', type="file")
        assert [item["id"] for item in found["items"]] == [files[name]["id"]], name
        assert "<mark>" in found["items"][0]["snippet"]
        assert found["items"][0]["group"] == {"id": group_id, "name": "Board papers"}

        hidden = search(outsider, f'"{phrase}"')
        assert hidden["total"] == 0 and hidden["items"] == [] and hidden["facets"]["group"] == []


def test_a_new_version_replaces_the_searchable_text(factory):
    from tests.library.helpers import add_version, fixture

    owner = factory.person()
    group_id = make_group(owner, "open")
    file = uploaded(owner, group_id, "sample.docx", title="Allotments")
    assert search(owner, "heron allotment")["total"] == 1

    assert add_version(owner, file["id"], "sample.odt", fixture("sample.odt")).status_code == 201

    assert search(owner, "heron allotment", type="file")["total"] == 0
    assert [i["id"] for i in search(owner, "lantern bridge", type="file")["items"]] == [file["id"]]


def test_words_inside_markdown_emphasis_are_found(factory):
    from tests.groups.helpers import start_thread

    owner = factory.person()
    group_id = make_group(owner, "open")
    thread = start_thread(owner, group_id, title="Spring plans", body="Our **pelican** review.")

    found = search(owner, "pelican")

    assert [(i["type"], i["id"]) for i in found["items"]] == [("thread", thread["id"])]
