"""The library as a member uses it: upload real office documents, find their text, fetch
them back, organise them in folders and tags, and keep versions."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from hub.extensions import db
from tests.groups.helpers import add_member, make_group
from tests.library.helpers import (
    API,
    CONTENT_TYPES,
    IMAGES,
    PHRASES,
    add_version,
    fixture,
    stored_files,
    stored_text,
    upload,
    uploaded,
)


@pytest.fixture
def owner(factory):
    return factory.person(name="Amira Khan")


@pytest.fixture
def group_id(owner):
    return make_group(owner, "private")


@pytest.mark.parametrize("name", sorted(PHRASES))
def test_each_office_format_is_stored_and_its_text_extracted(app, owner, group_id, name):
    data = fixture(name)
    response = upload(
        owner,
        group_id,
        name,
        data,
        title="Board papers",
        description="For the *March* meeting.",
        tags="Audit, peer review,audit",
    )
    assert response.status_code == 201, response.json
    body = response.json
    extension = name.rsplit(".", 1)[1]
    assert body["content_type"] == CONTENT_TYPES[extension]
    assert body["filename"] == name
    assert body["size"] == len(data)
    assert body["version"] == 1
    assert body["tags"] == ["Audit", "peer review"]  # as first typed
    assert body["text_extracted"] is True, body["text_extraction_error"]
    assert body["text_extraction_error"] is None
    assert body["title"] == "Board papers"
    assert body["description_html"] == "<p>For the <em>March</em> meeting.</p>\n"
    assert body["group_id"] == group_id and body["folder_id"] is None
    assert body["uploaded_by"] == {"id": owner.user_id, "name": "Amira Khan"}
    assert body["created_at"].endswith("Z") and body["updated_at"].endswith("Z")
    assert PHRASES[name] in " ".join(stored_text(app, body["id"]).split())
    assert "not this text" not in stored_text(app, body["id"])  # HTML scripts are not text


@pytest.mark.parametrize("name", IMAGES)
def test_images_are_stored_without_text(app, owner, group_id, name):
    response = upload(owner, group_id, name, fixture(name))
    assert response.status_code == 201, response.json
    assert response.json["content_type"] == CONTENT_TYPES[name.rsplit(".", 1)[1]]
    assert response.json["text_extracted"] is False
    assert response.json["title"] == "sample"
    assert stored_text(app, response.json["id"]) is None


def test_download_returns_the_bytes_as_a_safe_attachment(owner, group_id):
    data = fixture("sample.html")
    file_id = upload(owner, group_id, "Café plan.html", data).json["id"]
    response = owner.get(f"{API}/library/files/{file_id}/download")
    assert response.status_code == 200
    assert response.data == data
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Caf%C3%A9%20plan.html" in disposition


def test_a_file_without_an_extension_downloads_with_the_one_its_bytes_have(owner, group_id):
    file_id = upload(owner, group_id, "minutes", fixture("sample.pdf")).json["id"]
    response = owner.get(f"{API}/library/files/{file_id}/download")
    assert "filename=minutes.pdf" in response.headers["Content-Disposition"]


def test_get_and_list_files_with_filters(owner, group_id):
    folder = owner.post(f"{API}/groups/{group_id}/library/folders", json={"name": "Reports"})
    assert folder.status_code == 201, folder.json
    in_folder = uploaded(owner, group_id, "sample.pdf", folder_id=folder.json["id"], tags="audit")
    loose = uploaded(owner, group_id, "sample.csv", tags="data")

    assert owner.get(f"{API}/library/files/{in_folder['id']}").json == in_folder
    everything = owner.get(f"{API}/groups/{group_id}/library/files")
    assert everything.status_code == 200
    assert [f["id"] for f in everything.json] == [loose["id"], in_folder["id"]]
    assert '"total": 2' in everything.headers["X-Pagination"]
    by_folder = owner.get(f"{API}/groups/{group_id}/library/files?folder_id={folder.json['id']}")
    assert [f["id"] for f in by_folder.json] == [in_folder["id"]]
    by_tag = owner.get(f"{API}/groups/{group_id}/library/files?tag=DATA")
    assert [f["id"] for f in by_tag.json] == [loose["id"]]


def test_listing_files_takes_the_same_number_of_queries_for_any_page_size(app, owner, group_id):
    def queries_for_listing() -> int:
        count = 0

        def counter(*_args):
            nonlocal count
            count += 1

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            response = owner.get(f"{API}/groups/{group_id}/library/files?page_size=50")
            assert response.status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", counter)
        return count

    uploaded(owner, group_id, "sample.txt", tags="a,b")
    few = queries_for_listing()
    for name in ("sample.csv", "sample.md", "sample.html", "sample.txt", "sample.png"):
        uploaded(owner, group_id, name, tags="c")
    assert queries_for_listing() == few


def test_folders_nest_and_names_are_unique_among_siblings(owner, group_id):
    top = owner.post(f"{API}/groups/{group_id}/library/folders", json={"name": "Policies"})
    assert top.status_code == 201 and top.json["parent_id"] is None
    child = owner.post(
        f"{API}/groups/{group_id}/library/folders",
        json={"name": "Housing", "parent_id": top.json["id"]},
    )
    assert child.status_code == 201 and child.json["parent_id"] == top.json["id"]
    again = owner.post(f"{API}/groups/{group_id}/library/folders", json={"name": "Policies"})
    assert again.status_code == 409 and "Policies" in again.json["message"]
    same_name_elsewhere = owner.post(
        f"{API}/groups/{group_id}/library/folders", json={"name": "Housing"}
    )
    assert same_name_elsewhere.status_code == 201
    listed = owner.get(f"{API}/groups/{group_id}/library/folders")
    assert [f["name"] for f in listed.json] == ["Housing", "Housing", "Policies"]

    other_group = make_group(owner, "open", name="Elsewhere")
    foreign = owner.post(
        f"{API}/groups/{other_group}/library/folders",
        json={"name": "X", "parent_id": top.json["id"]},
    )
    assert foreign.status_code == 422
    misplaced = upload(owner, other_group, "a.txt", b"hello", folder_id=top.json["id"])
    assert misplaced.status_code == 422 and "folder" in misplaced.json["message"]


def test_patch_changes_metadata_and_moves_between_folders(owner, group_id):
    folder = owner.post(f"{API}/groups/{group_id}/library/folders", json={"name": "Old"}).json
    created = uploaded(owner, group_id, "sample.md", folder_id=folder["id"])
    response = owner.patch(
        f"{API}/library/files/{created['id']}",
        json={
            "title": " Minutes, March ",
            "description": "**Agreed**",
            "tags": ["Youth", "mentoring"],
            "folder_id": None,
        },
    )
    assert response.status_code == 200, response.json
    assert response.json["title"] == "Minutes, March"
    assert response.json["description_html"] == "<p><strong>Agreed</strong></p>\n"
    assert response.json["tags"] == ["mentoring", "Youth"]
    assert response.json["folder_id"] is None
    assert response.json["version"] == 1


def test_versions_replace_the_text_and_keep_the_history(app, owner, group_id):
    first = uploaded(owner, group_id, "sample.docx", title="Strategy")
    response = add_version(owner, first["id"], "strategy v2.odt", fixture("sample.odt"))
    assert response.status_code == 201, response.json
    assert response.json["version"] == 2
    assert response.json["title"] == "Strategy"
    assert response.json["filename"] == "strategy v2.odt"
    assert response.json["content_type"] == CONTENT_TYPES["odt"]
    text = stored_text(app, first["id"])
    assert PHRASES["sample.odt"] in text and PHRASES["sample.docx"] not in text

    history = owner.get(f"{API}/library/files/{first['id']}/versions")
    assert history.status_code == 200
    assert [(v["version"], v["filename"]) for v in history.json] == [
        (2, "strategy v2.odt"),
        (1, "sample.docx"),
    ]
    old = owner.get(f"{API}/library/files/{first['id']}/download?version=1")
    assert old.data == fixture("sample.docx")
    assert owner.get(f"{API}/library/files/{first['id']}/download").data == fixture("sample.odt")
    assert owner.get(f"{API}/library/files/{first['id']}/download?version=9").status_code == 404


def test_a_version_is_checked_like_an_upload(owner, group_id):
    first = uploaded(owner, group_id, "sample.txt")
    refused = add_version(owner, first["id"], "notes.txt", fixture("sample.png"))
    assert refused.status_code == 415
    assert owner.get(f"{API}/library/files/{first['id']}").json["version"] == 1


def test_deleting_a_file_removes_its_versions_and_bytes(app, owner, group_id):
    created = uploaded(owner, group_id, "sample.txt")
    add_version(owner, created["id"], "sample.csv", fixture("sample.csv"))
    assert len(stored_files(app)) == 2
    assert owner.delete(f"{API}/library/files/{created['id']}").status_code == 204
    assert owner.get(f"{API}/library/files/{created['id']}").status_code == 404
    assert stored_files(app) == []


def test_uploads_are_stored_under_server_made_names(app, owner, group_id):
    uploaded(owner, group_id, "sample.pdf")
    (path,) = stored_files(app)
    assert "sample" not in str(path)
    assert len(path.name) == 32 and path.parent.name == path.name[:2]


def test_the_upload_form_is_validated(owner, group_id):
    no_file = owner.post(
        f"{API}/groups/{group_id}/library/files",
        data={"title": "x"},
        content_type="multipart/form-data",
    )
    assert no_file.status_code == 422 and "file" in str(no_file.json["errors"])
    bad_tags = upload(owner, group_id, "a.txt", b"hello", tags="ok,<script>")
    assert bad_tags.status_code == 422


def test_moderators_edit_and_delete_what_members_uploaded(factory, owner, group_id):
    member = factory.person()
    moderator = factory.person()
    add_member(owner, group_id, member)
    add_member(owner, group_id, moderator, role="moderator")
    created = uploaded(member, group_id, "sample.txt")
    renamed = moderator.patch(f"{API}/library/files/{created['id']}", json={"title": "Tidy"})
    assert renamed.status_code == 200
    assert renamed.json["uploaded_by"]["id"] == member.user_id
    assert add_version(moderator, created["id"], "b.md", fixture("sample.md")).status_code == 201
    assert moderator.delete(f"{API}/library/files/{created['id']}").status_code == 204
