"""The library pages: a group's folders and files, uploading with the API's limits, a file
with its versions and downloads, editing and deleting it, as a person does in a browser."""

from __future__ import annotations

import io

import pytest

from hub.extensions import db
from hub.library.models import FileVersion, LibraryFile, LibraryFolder
from tests.groups.helpers import make_group
from tests.library.helpers import CONTENT_TYPES, fixture, upload
from tests.web.conftest import banner, error_summary, field_error, signed_in_member, text


def _file_count(app) -> int:
    with app.app_context():
        return db.session.query(LibraryFile).count()


def _upload_form(page):
    return page.find(id="upload").find_next("form")


def test_a_member_uploads_an_office_document_and_finds_it_in_the_library(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "private", name="Allotments")
    member = signed_in_member(app, factory, owner, group_id, name="Nia Evans")
    page = member.get(f"/groups/{group_id}/library")
    assert text(page.h1) == "Library"
    assert text(page.find(id="files").find_next("p")) == "No files yet."
    form = _upload_form(page)
    assert form["enctype"] == "multipart/form-data"
    assert form.find("input", {"type": "file"})["id"] == "file"
    docx = fixture("sample.docx")
    response = member.post(
        form["action"],
        {
            "file": (io.BytesIO(docx), "strategy.docx"),
            "title": "Allotment strategy",
            "description": "The *draft*.",
            "tags": "allotments, land",
        },
    )
    file_path = response.location.partition("?")[0]
    shown = member.get(response.location)
    assert banner(shown) == "Your file has been uploaded."
    assert text(shown.h1) == "Allotment strategy"
    assert text(shown.find("em")) == "draft"
    summary = {
        text(row.dt): text(row.dd) for row in shown.find_all(class_="govuk-summary-list__row")
    }
    assert summary["Type"] == "Word (DOCX)"
    assert summary["Uploaded by"] == "Nia Evans"
    assert summary["Text"] == "Searchable"
    assert [text(tag) for tag in shown.find_all("strong", class_="govuk-tag")][:2] == [
        "allotments",
        "land",
    ]
    listing = member.get(f"/groups/{group_id}/library")
    row = listing.find("a", string="Allotment strategy").find_parent("tr")
    assert row.find("a")["href"] == file_path
    cells = [text(td) for td in row.find_all("td")]
    assert cells[1] == f"Type: {summary['Type']}"
    assert cells[2] == f"Size: {round(len(docx) / 1024)} KB"
    assert cells[3] == "Uploaded by: Nia Evans"
    # The download link is the API's download, which the browser's session opens.
    download = member.client.get(shown.find("a", string=lambda s: s and "Download" in s)["href"])
    assert download.status_code == 200
    assert download.mimetype == CONTENT_TYPES["docx"]
    assert download.data == docx
    assert download.headers["Content-Disposition"].startswith("attachment")
    group_page = member.get(f"/groups/{group_id}")
    assert group_page.find("a", string="Allotment strategy")["href"] == file_path
    assert group_page.find("a", href=f"/groups/{group_id}/library") is not None


def test_an_upload_without_a_file_is_refused_beside_the_field(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    member = signed_in_member(app, factory, owner, group_id)
    member.get(f"/groups/{group_id}/library")
    page = member.post(f"/groups/{group_id}/library/files", {"title": "Nothing"}, status=200)
    assert error_summary(page) == [("#file", "Select a file to upload")]
    assert field_error(page, "file") == "Select a file to upload"
    assert page.find(id="title")["value"] == "Nothing"  # what was typed stays
    assert _file_count(app) == 0


def test_a_file_whose_bytes_do_not_match_its_name_is_refused_beside_the_field(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    member = signed_in_member(app, factory, owner, group_id)
    member.get(f"/groups/{group_id}/library")
    png_as_pdf = {"file": (io.BytesIO(fixture("sample.png")), "report.pdf")}
    page = member.post(f"/groups/{group_id}/library/files", png_as_pdf, status=200)
    api = upload(owner, group_id, "report.pdf", fixture("sample.png"))
    assert api.status_code == 415
    assert field_error(page, "file") == api.json["message"]
    assert error_summary(page) == [("#file", api.json["message"])]
    assert _file_count(app) == 0


@pytest.mark.parametrize(
    "app_settings", [{"HUB_MAX_UPLOAD_MB": 1, "MAX_CONTENT_LENGTH": 1024 * 1024 + 64 * 1024}]
)
def test_a_file_over_the_size_limit_is_refused_beside_the_field(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    member = signed_in_member(app, factory, owner, group_id)
    member.get(f"/groups/{group_id}/library")
    # A little over is read and refused; far over is refused before it is read.
    for size, status in ((1024 * 1024 + 1, 200), (3 * 1024 * 1024, 413)):
        big = {"file": (io.BytesIO(b"a" * size), "big.txt")}
        page = member.post(f"/groups/{group_id}/library/files", big, status=status)
        assert "larger than the 1 MB limit" in field_error(page, "file"), size
        assert error_summary(page) == [("#file", field_error(page, "file"))]
    assert _file_count(app) == 0


def test_folders_are_made_and_navigated_and_hold_their_files(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    member = signed_in_member(app, factory, owner, group_id)
    page = member.get(f"/groups/{group_id}/library")
    folder_form = page.find(id="new-folder").find_next("form")
    response = member.post(folder_form["action"], {"name": "Minutes"})
    inside = member.get(response.location)
    assert banner(inside) == "The folder has been made."
    assert text(inside.h1) == "Minutes"
    assert [text(li) for li in inside.select(".govuk-breadcrumbs li")][-1] == "Library"
    form = _upload_form(inside)
    member.post(form["action"], {"file": (io.BytesIO(b"thistle"), "march.txt"), **_hidden(form)})
    assert inside.find("a", string="march") is None
    inside = member.get(response.location.partition("&")[0])
    assert [text(a) for a in inside.select("table a")] == ["march"]
    top = member.get(f"/groups/{group_id}/library")
    assert [text(a) for a in top.find(id="folders").find_next("ul").find_all("a")] == ["Minutes"]
    assert top.find("table") is None  # the file is in its folder, not at the top level
    again = member.post(folder_form["action"], {"name": "Minutes"}, status=200)
    assert "already a folder called 'Minutes'" in field_error(again, "name")
    with app.app_context():
        assert db.session.query(LibraryFolder).count() == 1


def _hidden(form) -> dict:
    return {
        i["name"]: i["value"]
        for i in form.find_all("input", type="hidden")
        if i["name"] != "csrf_token"
    }


def test_the_uploader_adds_a_version_edits_and_deletes_after_confirming(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    member = signed_in_member(app, factory, owner, group_id)
    file_id = upload(
        factory.client_for(member.user), group_id, "survey.txt", b"thistle cycle lane"
    ).json["id"]
    page = member.get(f"/files/{file_id}")
    version_form = page.find(id="new-version").find_next("form")
    response = member.post(
        version_form["action"], {"file": (io.BytesIO(b"thistle, second count"), "survey.txt")}
    )
    page = member.get(response.location)
    assert banner(page) == "The new version has been uploaded."
    rows = page.find(id="versions").find_next("table").find("tbody").find_all("tr")
    assert [text(r.find("a")) for r in rows] == ["Download version 2", "Download version 1"]
    old = member.client.get(rows[1].find("a")["href"])
    assert old.data == b"thistle cycle lane"

    edit_form = page.find(id="details").find_next("form")
    refused = member.post(edit_form["action"], {"title": " ", "description": "x"}, status=200)
    assert field_error(refused, "title") == "Enter a title for the file"
    response = member.post(edit_form["action"], {"title": "Cycle survey", "description": ""})
    page = member.get(response.location)
    assert banner(page) == "The file's details have been saved." and text(page.h1) == "Cycle survey"

    confirm = member.get(page.find(id="delete").find_next("a")["href"])
    assert text(confirm.h1) == "Are you sure you want to delete Cycle survey?"
    response = member.post(confirm.find("main").find("form")["action"], {})
    assert response.location.startswith(f"/groups/{group_id}/library")
    assert banner(member.get(response.location)) == "The file has been deleted."
    member.get(f"/files/{file_id}", status=404)
    with app.app_context():
        assert db.session.query(FileVersion).count() == 0


def test_a_member_who_did_not_upload_it_may_read_but_not_change_or_delete(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    file_id = upload(owner, group_id, "plan.txt", b"juniper").json["id"]
    member = signed_in_member(app, factory, owner, group_id)
    page = member.get(f"/files/{file_id}")
    sizes = [text(row.dd) for row in page.find_all(class_="govuk-summary-list__row")][1:2]
    assert sizes == ["7 bytes"]
    assert page.find(id="new-version") is None and page.find(id="delete") is None
    refusal = member.get(f"/files/{file_id}/delete", status=403)
    assert "Only the person who uploaded this file" in text(refusal.find("main"))
    member.post(f"/files/{file_id}/delete", {}, status=403)
    assert _file_count(app) == 1


def test_a_private_groups_library_is_not_there_for_a_non_member_get_or_post(
    app, factory, signed_in
):
    owner = factory.person()
    group_id = make_group(owner, "private")
    file_id = upload(owner, group_id, "secret.txt", b"saffron").json["id"]
    for path in (f"/groups/{group_id}/library", f"/files/{file_id}", f"/files/{file_id}/delete"):
        page = signed_in.get(path, status=404)
        assert text(page.h1) == "Page not found"
        assert "secret" not in str(page)
    posts = {
        f"/groups/{group_id}/library/files": {"file": (io.BytesIO(b"x"), "x.txt")},
        f"/groups/{group_id}/library/folders": {"name": "Mine"},
        f"/files/{file_id}": {"title": "Taken"},
        f"/files/{file_id}/versions": {"file": (io.BytesIO(b"x"), "secret.txt")},
        f"/files/{file_id}/delete": {},
    }
    signed_in.get("/groups")
    for path, data in posts.items():
        page = signed_in.post(path, data, status=404)
        assert text(page.h1) == "Page not found", path
    with app.app_context():
        assert db.session.query(LibraryFile).one().title == "secret"
        assert db.session.query(FileVersion).count() == 1
        assert db.session.query(LibraryFolder).count() == 0
