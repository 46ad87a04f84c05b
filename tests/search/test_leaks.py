"""The search-leak suite: nothing from a group the caller may not read ever shows.

Each case plants distinctive nonsense words only in one group's content, then searches
as each kind of person for the words and for misspellings of them (the suggestion
check): items, snippets, facets, totals and suggestions must all be empty.
"""

import time

import pytest

from hub.search.backend import SearchDoc, WhooshBackend
from tests.search.helpers import API, add_member, leaked, make_group, search, start_thread, suggest

SECRET = ["zorblatt", "quindlemoor", "vexhollow"]
MISSPELT = ["zorblat", "quindlemore", "vexholow"]


def _plant(owner, group_id):
    thread = start_thread(
        owner,
        group_id,
        "Zorblatt quindlemoor plans",
        "The vexhollow quindlemoor budget for zorblatt.",
    )
    suggest(owner, group_id, "Vexhollow review", "More zorblatt, less quindlemoor.")
    return thread


def _assert_sees_nothing(person, group_id):
    for query in (
        SECRET + MISSPELT + [" ".join(SECRET[:2]), f'"{SECRET[1]} budget"', "zorb*", "quindle*"]
    ):
        result = search(person, query)
        assert not leaked(result, SECRET, group_id), (query, leaked(result, SECRET, group_id))
    assert not leaked(search(person, SECRET[0], group_id=group_id), SECRET, group_id)


def _assert_sees(person, group_id):
    result = search(person, SECRET[0])
    assert result["total"] >= 2
    assert any(g["id"] == group_id for g in result["facets"]["group"])
    assert search(person, MISSPELT[0])["suggestion"] == SECRET[0]


def _person_in_role(factory, owner, group_id, visibility, role):
    person = factory.person()
    if role == "requester" and visibility != "open":  # open groups have no requests
        joined = person.post(f"{API}/groups/{group_id}/join")
        assert joined.status_code in (202, 403, 404)
    elif role == "invitee":
        invited = owner.post(
            f"{API}/groups/{group_id}/invitations", json={"user_id": person.user_id}
        )
        assert invited.status_code == 201
    elif role in ("member", "banned", "removed"):
        add_member(owner, group_id, person)
        if role != "member":
            query = "?ban=true" if role == "banned" else ""
            gone = owner.delete(f"{API}/groups/{group_id}/members/{person.user_id}{query}")
            assert gone.status_code == 204
    return person


ROLES = ["non-member", "requester", "invitee", "member", "banned", "removed"]


@pytest.mark.parametrize("visibility", ["open", "restricted", "private", "hidden"])
def test_only_readers_find_a_groups_content(factory, visibility):
    owner = factory.person()
    group_id = make_group(owner, visibility, name="Taskforce")
    _plant(owner, group_id)
    # Something readable elsewhere, so that empty answers are not just an empty index.
    elsewhere = make_group(owner, "open", name="Elsewhere")
    start_thread(owner, elsewhere, "Public notes", "Nothing secret at all.")
    for role in ROLES:
        person = _person_in_role(factory, owner, group_id, visibility, role)
        may_read = role == "member" or (visibility == "open" and role != "banned")
        if may_read:
            _assert_sees(person, group_id)
        else:
            _assert_sees_nothing(person, group_id)
            # The group's own listing: hidden groups do not exist for them at all.
            found = search(person, "taskforce")
            if visibility == "hidden":
                assert found["total"] == 0
            else:
                assert [i["type"] for i in found["items"]] == ["group"]
    _assert_sees(owner, group_id)


def _eventually(check, seconds=2.0):
    """Passes once `check()` is true, within `seconds` of the change."""
    deadline = time.monotonic() + seconds
    while True:
        if check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.1f} s")
        time.sleep(0.05)


def test_losing_access_hides_content_at_once(factory):
    owner = factory.person()
    group_id = make_group(owner, "private")
    _plant(owner, group_id)
    removed, banned = factory.person(), factory.person()
    for person in (removed, banned):
        add_member(owner, group_id, person)
        _assert_sees(person, group_id)
    started = time.monotonic()
    owner.delete(f"{API}/groups/{group_id}/members/{removed.user_id}")
    owner.delete(f"{API}/groups/{group_id}/members/{banned.user_id}?ban=true")
    _eventually(lambda: not leaked(search(removed, SECRET[0]), SECRET, group_id))
    _assert_sees_nothing(removed, group_id)
    _assert_sees_nothing(banned, group_id)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("narrower", ["restricted", "private", "hidden"])
def test_narrowing_visibility_hides_content_from_non_members(factory, narrower):
    owner = factory.person()
    group_id = make_group(owner, "open", name="Community forum")
    _plant(owner, group_id)
    reader = factory.person()
    _assert_sees(reader, group_id)
    assert owner.patch(f"{API}/groups/{group_id}", json={"visibility": narrower}).status_code == 200
    _eventually(lambda: not leaked(search(reader, SECRET[0]), SECRET, group_id))
    _assert_sees_nothing(reader, group_id)
    listing = search(reader, "forum")
    assert listing["total"] == (0 if narrower == "hidden" else 1)
    _assert_sees(owner, group_id)


def test_archiving_hides_content_from_non_members_but_not_members(factory):
    owner = factory.person()
    group_id = make_group(owner, "open", name="Old archive")
    _plant(owner, group_id)
    reader, member = factory.person(), factory.person()
    add_member(owner, group_id, member)
    _assert_sees(reader, group_id)
    assert owner.delete(f"{API}/groups/{group_id}").status_code == 204
    _eventually(lambda: not leaked(search(reader, SECRET[0]), SECRET, group_id))
    _assert_sees_nothing(reader, group_id)
    assert search(reader, "archive")["total"] == 0
    _assert_sees(member, group_id)
    assert search(member, "archive")["total"] == 1


def test_suggestions_never_come_from_unreadable_words(factory):
    owner = factory.person()
    secret = make_group(owner, "private")
    start_thread(owner, secret, "Flumberwick", "flumberwick flumberwick")
    public = make_group(owner, "open")
    start_thread(owner, public, "Flumberwock", "A flumberwock, readable by all.")
    stranger = factory.person()
    # The nearest word overall is the unreadable one; the stranger gets the readable one.
    assert search(stranger, "flumberwik")["suggestion"] == "flumberwock"
    assert search(owner, "flumberwik")["suggestion"] == "flumberwick"
    # The unreadable word itself is, for the stranger, a word found in nothing.
    assert search(stranger, "flumberwick")["suggestion"] == "flumberwock"
    assert search(owner, "flumberwick")["suggestion"] is None


def _backend_with(tmp_path, name, docs):
    backend = WhooshBackend(tmp_path / name)
    backend.index(
        [
            SearchDoc(type="post", id=n, title=word.title(), body=word, group_id=group)
            for n, (word, group) in enumerate(docs, start=1)
        ]
    )
    return backend


def test_did_you_mean_asks_which_documents_hold_a_word_in_a_shared_segment(tmp_path):
    """Readable and unreadable documents in one segment (one batch of the index's
    writer): whether a word is found depends on which documents hold it, whatever
    shortcut counting them allows."""
    # Every document the stranger may not read holds the word, and no other does.
    only_unreadable = _backend_with(
        tmp_path, "a", [("flumberwock", None), ("flumberwick", 9), ("flumberwick", 9)]
    )
    assert only_unreadable.search("flumberwick", set()).suggestion == "flumberwock"
    assert only_unreadable.search("flumberwick", {9}).suggestion is None
    # Fewer documents hold it than the stranger may not read, but one is readable.
    one_readable = _backend_with(
        tmp_path, "b", [("flumberwick", None), ("other", 9), ("other", 9), ("flumberwock", None)]
    )
    assert one_readable.search("flumberwick", set()).suggestion is None
