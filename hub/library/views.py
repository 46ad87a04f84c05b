"""Group libraries as pages: a group's folders and files with uploading and making folders,
and a file with its versions, a new version, editing and deleting. The twins of
/api/v1/groups/{id}/library and /api/v1/library/files, through the same service and
policy, with the same limits: a library or file you may not read is the HTML 404 page,
for a GET and a POST alike."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user
from flask_smorest.pagination import PaginationParameters
from werkzeug.exceptions import RequestEntityTooLarge

from hub import policy
from hub.db import paginate
from hub.errors import Conflict, Forbidden, HubError, Invalid, NotFound
from hub.extensions import db
from hub.groups import access
from hub.groups.views import page_number, pages_of, readable_group
from hub.library import service, storage
from hub.library.filetypes import ACCEPTED, KINDS
from hub.library.models import LibraryFolder
from hub.library.schemas import (
    FileUpdateSchema,
    FileUploadSchema,
    FolderCreateSchema,
    VersionUploadSchema,
)
from hub.web import pages
from hub.web.errors import unreadable_is_not_found
from hub.web.forms import Form, load, see_other, service_errors, sign_in_required
from hub.web.i18n import gettext as _

blp = pages("library_pages", __name__)

FILES_PAGE_SIZE = 20
VERSIONS_SHOWN = 100
UPLOAD_FIELDS = ["file", "title", "description", "tags"]
EDIT_FIELDS = ["title", "description"]
# A refused upload's message goes beside the file field: too large, a type not accepted,
# or a file that is empty, damaged or dangerous.
REFUSED_UPLOADS = (413, 415, 422)


def _done_message() -> str | None:
    return {
        "uploaded": _("Your file has been uploaded."),
        "folder": _("The folder has been made."),
        "version": _("The new version has been uploaded."),
        "edited": _("The file's details have been saved."),
        "deleted": _("The file has been deleted."),
    }.get(request.args.get("done", ""))


@blp.app_template_filter("file_size")
def file_size(size: int | None) -> str:
    """A size as people read it: 512 bytes, 34 KB, 1.2 MB."""
    size = size or 0
    if size < 1024:
        return ngettext("%(num)d byte", "%(num)d bytes", size)
    if size < 1024 * 1024:
        return _("%(num)d KB", num=round(size / 1024))
    return _("%(num).1f MB", num=size / (1024 * 1024))


@blp.app_template_filter("file_kind")
def file_kind(content_type: str | None) -> str:
    """A file's type by name (PDF, Word (DOCX)...), decided from its bytes at upload."""
    kind = next((k for k in KINDS.values() if k.content_type == content_type), None)
    return kind.label if kind else (content_type or "")


def readable_file(file_id: int):
    """The file, its group and your access; the HTML 404 when you may not read it."""
    user = current_user._get_current_object()
    with unreadable_is_not_found():
        found = service.get_file(user, file_id)
    group, you = access.visible_group_and_access(user, found.group_id)
    return found, group, you


# --- A group's library -----------------------------------------------------------------


@blp.route("/groups/<int:group_id>/library")
@sign_in_required
def library(group_id: int):
    return library_page(group_id)


def library_page(
    group_id: int, form: Form | None = None, status: int = 200, folder_id: int | None = None
):
    """A folder of the library (the top level without `?folder_id=`): its folders, then a
    page of its files, the most recently changed first."""
    user = current_user._get_current_object()
    group, you = readable_group(group_id)
    folders = {f.id: f for f in db.session.scalars(service.folders_of(user, group_id))}
    if folder_id is None:
        folder_id = request.args.get("folder_id", type=int)
    folder = folders.get(folder_id) if folder_id is not None else None
    if folder_id is not None and folder is None:
        raise NotFound(_("There is no such folder in this library."))
    pagination = PaginationParameters(page=page_number(), page_size=FILES_PAGE_SIZE)
    filters = {"folder_id": folder.id} if folder else {"top_level": True}
    files = paginate(service.files_of(user, group_id, filters), pagination)
    total = pagination.item_count or 0
    body = render_template(
        "library/library.html",
        group=group,
        folder=folder,
        trail=_trail(folder, folders),
        subfolders=[f for f in folders.values() if f.parent_id == (folder.id if folder else None)],
        files=files,
        total=total,
        pagination=pages_of(pagination.page, total, FILES_PAGE_SIZE),
        may_add=policy.can_upload_file(user, group, you),
        accepted=ACCEPTED,
        max_mb=storage.max_upload_bytes() // (1024 * 1024),
        form=form or Form(),
        field_order=UPLOAD_FIELDS + ["name"],
        done=_done_message(),
    )
    return body, status


def _trail(folder: LibraryFolder | None, folders: dict[int, LibraryFolder]) -> list:
    """The folders from the top level down to `folder`, for its breadcrumbs."""
    trail = []
    while folder is not None and len(trail) <= service.MAX_FOLDER_DEPTH:
        trail.insert(0, folder)
        folder = folders.get(folder.parent_id)
    return trail


def _posted_in(name: str) -> int | None:
    """The folder a refused form was posted in, to show it there again."""
    posted = request.form.get(name, "")
    return int(posted) if posted.isdigit() else None


@blp.route("/groups/<int:group_id>/library/files", methods=["POST"])
@sign_in_required
def upload(group_id: int):
    readable_group(group_id)
    data, form = load(
        FileUploadSchema(),
        {"file": _("Select a file to upload")},
        files=("file",),
    )
    if data is None:
        return library_page(group_id, form, folder_id=_posted_in("folder_id"))
    try:
        uploaded = service.upload_file(current_user, group_id, data.pop("file"), data)
    except HubError as refusal:
        if refusal.status not in REFUSED_UPLOADS:
            raise
        service_errors(form, refusal.errors, "file", refusal.message)
        return library_page(group_id, form, folder_id=_posted_in("folder_id"))
    return see_other(url_for("library_pages.file", file_id=uploaded.id, done="uploaded"))


@blp.route("/groups/<int:group_id>/library/folders", methods=["POST"])
@sign_in_required
def create_folder(group_id: int):
    readable_group(group_id)
    data, form = load(FolderCreateSchema(), {"name": _("Enter a name for the folder")})
    if data is None:
        return library_page(group_id, form, folder_id=_posted_in("parent_id"))
    try:
        made = service.create_folder(current_user, group_id, data["name"], data["parent_id"])
    except (Conflict, Invalid) as refusal:
        form.error("name", refusal.message)
        return library_page(group_id, form, folder_id=_posted_in("parent_id"))
    return see_other(
        url_for("library_pages.library", group_id=group_id, folder_id=made.id, done="folder")
    )


@blp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_error: RequestEntityTooLarge):
    """A body over the limit cannot be read (not even its csrf_token): nothing is done, and
    the page the form was on says so beside the file field."""
    form = Form()
    form.error("file", service.too_large_message())
    if request.endpoint == "library_pages.add_version":
        return file_page(request.view_args["file_id"], form, 413)
    return library_page(request.view_args["group_id"], form, 413)


# --- A file ----------------------------------------------------------------------------


@blp.route("/files/<int:file_id>")
@sign_in_required
def file(file_id: int):
    return file_page(file_id)


def file_page(file_id: int, form: Form | None = None, status: int = 200):
    """A file, its versions (the newest first) with their downloads, and what you may do."""
    user = current_user._get_current_object()
    found, group, you = readable_file(file_id)
    versions = db.session.scalars(service.versions_of(user, file_id).limit(VERSIONS_SHOWN)).all()
    form = form or Form(values={"title": found.title, "description": found.description})
    body = render_template(
        "library/file.html",
        file=found,
        group=group,
        folder=db.session.get(LibraryFolder, found.folder_id) if found.folder_id else None,
        versions=versions,
        may_edit=policy.can_edit_file(user, found, group, you),
        may_delete=policy.can_delete_file(user, found, group, you),
        accepted=ACCEPTED,
        max_mb=storage.max_upload_bytes() // (1024 * 1024),
        form=form,
        field_order=["file"] + EDIT_FIELDS,
        done=_done_message(),
    )
    return body, status


@blp.route("/files/<int:file_id>/versions", methods=["POST"])
@sign_in_required
def add_version(file_id: int):
    readable_file(file_id)
    data, form = load(
        VersionUploadSchema(), {"file": _("Select the new version to upload")}, files=("file",)
    )
    if data is None:
        return file_page(file_id, form)
    try:
        service.add_version(current_user, file_id, data["file"])
    except HubError as refusal:
        if refusal.status not in REFUSED_UPLOADS + (409,):
            raise
        service_errors(form, refusal.errors, "file", refusal.message)
        return file_page(file_id, form)
    return see_other(url_for("library_pages.file", file_id=file_id, done="version"))


@blp.route("/files/<int:file_id>", methods=["POST"])
@sign_in_required
def edit(file_id: int):
    """Change the title and description (the uploader or the group's moderators)."""
    readable_file(file_id)
    data, form = load(
        FileUpdateSchema(),
        {"title": _("Enter a title for the file")},
        fields=EDIT_FIELDS,
        keep_blank=("title", "description"),
    )
    if data is None:
        return file_page(file_id, form)
    try:
        service.update_file(current_user, file_id, data)
    except Invalid as refusal:
        service_errors(form, refusal.errors, "title", refusal.message)
        return file_page(file_id, form)
    return see_other(url_for("library_pages.file", file_id=file_id, done="edited"))


@blp.route("/files/<int:file_id>/delete")
@sign_in_required
def confirm_delete(file_id: int):
    """Are you sure? A page of its own, so that deleting never depends on JavaScript."""
    found, group, you = readable_file(file_id)
    if not policy.can_delete_file(current_user, found, group, you):
        raise _not_yours()
    return render_template("library/delete.html", file=found, group=group)


@blp.route("/files/<int:file_id>/delete", methods=["POST"])
@sign_in_required
def delete(file_id: int):
    group_id = readable_file(file_id)[0].group_id
    service.delete_file(current_user, file_id)
    return see_other(url_for("library_pages.library", group_id=group_id, done="deleted"))


def _not_yours() -> Forbidden:
    return Forbidden(
        _("Only the person who uploaded this file or the group's moderators can delete it.")
    )
