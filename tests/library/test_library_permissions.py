"""Who may list, read, download, upload, edit and delete in a group's library."""

from __future__ import annotations

import pytest

from tests.groups.helpers import add_member, make_group
from tests.library.helpers import API, add_version, fixture, upload, uploaded


def reads(person, file_id: int, group_id: int) -> list[int]:
    """The status of every way of reading a library, in one list."""
    return [
        person.get(f"{API}/groups/{group_id}/library/files").status_code,
        person.get(f"{API}/groups/{group_id}/library/folders").status_code,
        person.get(f"{API}/library/files/{file_id}").status_code,
        person.get(f"{API}/library/files/{file_id}/download").status_code,
        person.get(f"{API}/library/files/{file_id}/versions").status_code,
    ]


def writes(person, file_id: int, group_id: int) -> list[int]:
    return [
        upload(person, group_id, "mine.txt", b"some notes").status_code,
        person.post(f"{API}/groups/{group_id}/library/folders", json={"name": "F"}).status_code,
        person.patch(f"{API}/library/files/{file_id}", json={"title": "Mine"}).status_code,
        add_version(person, file_id, "v.txt", b"new words").status_code,
        person.delete(f"{API}/library/files/{file_id}").status_code,
    ]


@pytest.mark.parametrize("visibility", ["restricted", "private"])
def test_non_members_of_a_members_only_group_get_403(factory, visibility):
    owner, outsider = factory.person(), factory.person()
    group_id = make_group(owner, visibility)
    file_id = uploaded(owner, group_id)["id"]
    assert reads(outsider, file_id, group_id) == [403] * 5
    assert writes(outsider, file_id, group_id) == [403] * 5
    assert owner.get(f"{API}/library/files/{file_id}").status_code == 200


def test_a_hidden_group_library_does_not_exist_for_non_members(factory):
    owner, outsider = factory.person(), factory.person()
    group_id = make_group(owner, "hidden")
    file_id = uploaded(owner, group_id)["id"]
    assert reads(outsider, file_id, group_id) == [404] * 5
    assert writes(outsider, file_id, group_id) == [404] * 5
    missing = outsider.get(f"{API}/library/files/{file_id + 1000}")
    assert missing.status_code == 404
    assert (
        outsider.get(f"{API}/library/files/{file_id}").json["message"] == (missing.json["message"])
    )


def test_anyone_signed_in_reads_an_open_group_library_but_only_members_add(factory):
    owner, reader = factory.person(), factory.person()
    group_id = make_group(owner, "open")
    file_id = uploaded(owner, group_id)["id"]
    assert reads(reader, file_id, group_id) == [200] * 5
    refused = upload(reader, group_id, "mine.txt", b"notes")
    assert refused.status_code == 403 and "Join" in refused.json["message"]
    assert reader.post(f"{API}/groups/{group_id}/join").status_code == 200
    assert upload(reader, group_id, "mine.txt", b"notes").status_code == 201


def test_members_add_but_only_change_their_own_files(factory):
    owner, member, other = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, "private")
    add_member(owner, group_id, member)
    add_member(owner, group_id, other)
    file_id = uploaded(member, group_id)["id"]
    assert reads(other, file_id, group_id) == [200] * 5
    assert writes(other, file_id, group_id)[2:] == [403, 403, 403]
    assert member.patch(f"{API}/library/files/{file_id}", json={"title": "Mine"}).status_code == 200
    assert member.delete(f"{API}/library/files/{file_id}").status_code == 204


def test_a_removed_member_loses_access_with_their_next_request(factory):
    owner, member = factory.person(), factory.person()
    group_id = make_group(owner, "private")
    add_member(owner, group_id, member)
    file_id = uploaded(member, group_id, "sample.pdf")["id"]
    assert reads(member, file_id, group_id) == [200] * 5
    removed = owner.delete(f"{API}/groups/{group_id}/members/{member.user_id}")
    assert removed.status_code == 204
    assert reads(member, file_id, group_id) == [403] * 5
    # Having uploaded it no longer lets them change or delete it.
    assert writes(member, file_id, group_id) == [403] * 5
    assert owner.get(f"{API}/library/files/{file_id}/download").data == fixture("sample.pdf")


def test_a_banned_member_of_an_open_group_loses_read_access(factory):
    owner, member = factory.person(), factory.person()
    group_id = make_group(owner, "open")
    add_member(owner, group_id, member)
    file_id = uploaded(owner, group_id)["id"]
    banned = owner.delete(f"{API}/groups/{group_id}/members/{member.user_id}?ban=true")
    assert banned.status_code == 204
    assert reads(member, file_id, group_id) == [403] * 5


def test_an_archived_group_library_is_read_only(factory):
    owner, member = factory.person(), factory.person()
    group_id = make_group(owner, "private")
    add_member(owner, group_id, member)
    file_id = uploaded(member, group_id)["id"]
    assert owner.delete(f"{API}/groups/{group_id}").status_code in (200, 204)
    assert reads(member, file_id, group_id) == [200] * 5
    refused = upload(member, group_id, "late.txt", b"too late")
    assert refused.status_code == 403 and "archived" in refused.json["message"]
    assert member.patch(f"{API}/library/files/{file_id}", json={"title": "x"}).status_code == 403


@pytest.mark.parametrize("app_settings", [{"HUB_EMAIL_VERIFICATION": "required"}])
def test_an_unconfirmed_account_reads_but_does_not_upload(factory):
    owner = factory.person()
    newcomer = factory.person(email_verified_at=None, approved_at=None)
    group_id = make_group(owner, "open")
    assert newcomer.post(f"{API}/groups/{group_id}/join").status_code == 200
    refused = upload(newcomer, group_id, "a.txt", b"notes")
    assert refused.status_code == 403 and "Confirm your email" in refused.json["message"]
    assert newcomer.get(f"{API}/groups/{group_id}/library/files").status_code == 200
