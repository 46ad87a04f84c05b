"""Group libraries: folders, files and versions, with every decision asked of hub.policy.

An upload is streamed to storage under a server-made name, its kind decided from its
bytes, and its text read by a separate, limited process (hub.library.extraction), all
before the database is written; then one short transaction records it. If anything
fails on the way, the stored bytes are removed and nothing is recorded.

Extraction runs in the request: the uploader learns at once whether the text could be
read, search indexes the file as soon as the row commits, and the work is bounded (a
subprocess with a 20 s wall clock, a CPU limit and a memory limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import Integer, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from hub import policy
from hub.audit.service import record
from hub.auth.models import User
from hub.db import lock_row, utcnow
from hub.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge
from hub.extensions import db
from hub.groups.access import (
    get_readable_group,
    group_access,
    group_of_readable_content,
    readable_content_rows,
)
from hub.groups.models import Group
from hub.groups.service import count_content
from hub.library import storage
from hub.library.extraction import Extraction, extract_text
from hub.library.filetypes import KINDS, Kind, detect, display_filename, extension_of
from hub.library.models import FileVersion, LibraryFile, LibraryFileTag, LibraryFolder
from hub.policy import GroupAccess
from hub.tags import clean_tags, replace_tags, tag_key
from hub.text import render_markdown

MAX_FOLDER_DEPTH = 10
NO_FILE = lazy_gettext("There is no file with this id, or you may not see it.")


def too_large_message() -> str:
    limit = storage.max_upload_bytes() // (1024 * 1024)
    return _(
        "The file is larger than the %(limit)s MB limit; make it smaller (for example, "
        "save images at a lower resolution) or split it into parts.",
        limit=limit,
    )


# --- Folders -------------------------------------------------------------------------


def folders_of(user: User, group_id: int):
    group = get_readable_group(user, group_id)
    return (
        select(LibraryFolder)
        .where(LibraryFolder.group_id == group.id)
        .order_by(LibraryFolder.name, LibraryFolder.id)
    )


def create_folder(user: User, group_id: int, name: str, parent_id: int | None) -> LibraryFolder:
    group = get_readable_group(user, group_id)
    access = group_access(user, group)
    if not policy.can_create_library_folder(user, group, access):
        raise Forbidden(_why_not_adding(user, group, access))
    parent = _folder_in(group, parent_id, "parent_id") if parent_id is not None else None
    if parent is not None and _depth(parent) >= MAX_FOLDER_DEPTH:
        raise Invalid(
            _(
                "Folders nest at most %(depth)d deep; put this one higher up.",
                depth=MAX_FOLDER_DEPTH,
            ),
            errors={"json": {"parent_id": [_("Too deep.")]}},
        )
    name = " ".join(name.split())
    if not name:
        raise Invalid(_("Give the folder a name."), errors={"json": {"name": [_("Empty.")]}})
    siblings = select(LibraryFolder.id).where(
        LibraryFolder.group_id == group.id,
        LibraryFolder.parent_id.is_(None)
        if parent is None
        else LibraryFolder.parent_id == parent.id,
        LibraryFolder.name == name,
    )
    if db.session.scalar(siblings) is not None:
        raise Conflict(
            _("There is already a folder called %(name)r here; choose another name.", name=name)
        )
    folder = LibraryFolder(
        group_id=group.id, parent_id=parent.id if parent else None, name=name, created_by_id=user.id
    )
    db.session.add(folder)
    db.session.commit()
    return folder


def _folder_in(group: Group, folder_id: int, field: str) -> LibraryFolder:
    folder = db.session.get(LibraryFolder, folder_id)
    if folder is None or folder.group_id != group.id:
        raise Invalid(
            _("There is no folder with id %(id)s in this group.", id=folder_id),
            errors={"json": {field: [_("No such folder in this group.")]}},
        )
    return folder


def _depth(folder: LibraryFolder) -> int:
    depth = 1
    while folder.parent_id is not None and depth <= MAX_FOLDER_DEPTH:
        folder = db.session.get(LibraryFolder, folder.parent_id)
        depth += 1
    return depth


# --- Files ---------------------------------------------------------------------------


def files_of(user: User, group_id: int, filters: dict):
    """The group's files, the most recently changed first (a page loads in fixed queries)."""
    group = get_readable_group(user, group_id)
    statement = (
        select(LibraryFile)
        .where(LibraryFile.group_id == group.id)
        .options(
            selectinload(LibraryFile.current_version),
            selectinload(LibraryFile.tags),
            selectinload(LibraryFile.uploaded_by),
        )
        .order_by(LibraryFile.updated_at.desc(), LibraryFile.id.desc())
    )
    if filters.get("folder_id") is not None:
        statement = statement.where(LibraryFile.folder_id == filters["folder_id"])
    elif filters.get("top_level"):  # a library page's top level: the files in no folder
        statement = statement.where(LibraryFile.folder_id.is_(None))
    if filters.get("tag"):
        tagged = select(LibraryFileTag.file_id).where(
            LibraryFileTag.tag_key == tag_key(filters["tag"])
        )
        statement = statement.where(LibraryFile.id.in_(tagged))
    return statement


def recent_files(user: User, group_id: int, limit: int) -> list:
    """The ids and titles of the group's `limit` most recently changed files, in
    `files_of`'s order, for its page: one built-once statement."""
    return readable_content_rows(user, group_id, _recent_files(), limit)


@cache
def _recent_files():
    return (
        select(LibraryFile.id, LibraryFile.title)
        .where(LibraryFile.group_id == bindparam("group_id"))
        .order_by(LibraryFile.updated_at.desc(), LibraryFile.id.desc())
        .limit(bindparam("limit", type_=Integer))
    )


def upload_file(user: User, group_id: int, upload: FileStorage, data: dict) -> LibraryFile:
    """Add a file to a group's library: 201, or 413/415/422 with what to do instead."""
    group = get_readable_group(user, group_id)
    access = group_access(user, group)
    if not policy.can_upload_file(user, group, access):
        raise Forbidden(_why_not_adding(user, group, access))
    folder_id = data.get("folder_id")
    if folder_id is not None:
        _folder_in(group, folder_id, "folder_id")
    received = _receive(upload)
    try:
        now = utcnow()
        library_file = LibraryFile(
            group_id=group.id,
            folder_id=folder_id,
            title=(data.get("title") or "").strip() or _title_from(received.filename),
            description=data.get("description") or "",
            description_html=render_markdown(data.get("description") or ""),
            uploaded_by_id=user.id,
            version=1,
            created_at=now,
            updated_at=now,
            tags=[LibraryFileTag(tag=tag) for tag in clean_tags(data.get("tags") or [])],
        )
        db.session.add(library_file)
        count_content(group, "file", 1)
        db.session.flush()
        db.session.add(received.version_row(library_file.id, 1, user.id, now))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        received.discard()
        raise
    return get_file(user, library_file.id)


def get_file(user: User, file_id: int) -> LibraryFile:
    return _readable_file(user, file_id)[0]


def update_file(user: User, file_id: int, changes: dict) -> LibraryFile:
    library_file, group, access = _readable_file(user, file_id)
    if not policy.can_edit_file(user, library_file, group, access):
        raise Forbidden(
            _("Only the person who uploaded this file or the group's moderators can change it.")
        )
    if "title" in changes:
        title = changes["title"].strip()
        if not title:
            raise Invalid(_("Give the file a title."), errors={"json": {"title": [_("Empty.")]}})
        library_file.title = title
    if "description" in changes:
        library_file.description = changes["description"]
        library_file.description_html = render_markdown(changes["description"])
    if "tags" in changes:
        library_file.tags = replace_tags(library_file.tags, changes["tags"], LibraryFileTag)
    if "folder_id" in changes:
        if changes["folder_id"] is not None:
            _folder_in(group, changes["folder_id"], "folder_id")
        library_file.folder_id = changes["folder_id"]
    library_file.updated_at = utcnow()
    db.session.commit()
    return get_file(user, library_file.id)


def delete_file(user: User, file_id: int) -> None:
    """Delete a file, all its versions and their stored bytes."""
    library_file, group, access = _readable_file(user, file_id)
    if not policy.can_delete_file(user, library_file, group, access):
        raise Forbidden(
            _("Only the person who uploaded this file or the group's moderators can delete it.")
        )
    if not lock_row(LibraryFile, library_file.id):
        raise NotFound(NO_FILE)
    keys = list(
        db.session.scalars(
            select(FileVersion.storage_key).where(FileVersion.file_id == library_file.id)
        )
    )
    db.session.delete(library_file)
    count_content(group, "file", -1)
    if library_file.uploaded_by_id != user.id:  # taking back one's own file is not moderation
        detail = {"uploaded_by_id": library_file.uploaded_by_id}
        record(user, "file.deleted", "file", library_file.id, group.id, detail)
    db.session.commit()
    # After the commit: if it had failed, the rows would still name these bytes.
    storage.remove(keys)


# --- Versions ------------------------------------------------------------------------


def add_version(user: User, file_id: int, upload: FileStorage) -> LibraryFile:
    """Replace a file's content with a new version; search indexes the newest."""
    library_file, group, access = _readable_file(user, file_id)
    if not policy.can_edit_file(user, library_file, group, access):
        raise Forbidden(
            _(
                "Only the person who uploaded this file or the group's moderators "
                "can add a version."
            ),
        )
    received = _receive(upload)
    try:
        # Re-read under a row lock (PostgreSQL), so two versions at once get two numbers.
        db.session.refresh(library_file, with_for_update=True)
        now = utcnow()
        number = library_file.version + 1
        db.session.add(received.version_row(library_file.id, number, user.id, now))
        library_file.version = number
        library_file.updated_at = now
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        received.discard()
        raise Conflict(
            _(
                "Someone else added a version of this file at the same moment; "
                "reload it and try again."
            ),
        ) from None
    except BaseException:
        db.session.rollback()
        received.discard()
        raise
    return get_file(user, library_file.id)


def versions_of(user: User, file_id: int):
    """A file's versions, the newest first."""
    library_file, _group, _access = _readable_file(user, file_id)
    return (
        select(FileVersion)
        .where(FileVersion.file_id == library_file.id)
        .options(selectinload(FileVersion.uploaded_by))
        .order_by(FileVersion.number.desc())
    )


@dataclass
class Download:
    path: Path
    content_type: str
    filename: str
    sha256: str


def download(user: User, file_id: int, number: int | None = None) -> Download:
    """The bytes of the newest version, or of version `number`."""
    library_file, _group, _access = _readable_file(user, file_id)
    version = db.session.scalar(
        select(FileVersion).where(
            FileVersion.file_id == library_file.id,
            FileVersion.number == (number or library_file.version),
        )
    )
    if version is None:
        raise NotFound(
            _(
                "This file has no version %(number)s; see its versions for the numbers.",
                number=number,
            )
        )
    path = storage.path_of(version.storage_key)
    if not path.is_file():
        raise NotFound(_("This file's content is missing from storage; ask a site administrator."))
    return Download(
        path=path,
        content_type=version.content_type,
        filename=_download_name(version),
        sha256=version.sha256,
    )


def _download_name(version: FileVersion) -> str:
    """The display name, with the extension its detected type has (never a misleading one)."""
    kind = next((k for k in KINDS.values() if k.content_type == version.content_type), None)
    if kind is None or extension_of(version.filename) in kind.extensions:
        return version.filename
    return version.filename + kind.extensions[0]


# --- Receiving an upload -------------------------------------------------------------


@dataclass
class Received:
    """An accepted upload, stored under its key, with its kind and text."""

    key: str
    filename: str
    kind: Kind
    size: int
    sha256: str
    extraction: Extraction

    def version_row(self, file_id: int, number: int, user_id: int, now) -> FileVersion:
        return FileVersion(
            file_id=file_id,
            number=number,
            filename=self.filename,
            content_type=self.kind.content_type,
            size=self.size,
            sha256=self.sha256,
            storage_key=self.key,
            uploaded_by_id=user_id,
            created_at=now,
            text_extracted=self.extraction.extracted,
            text_extraction_error=self.extraction.error,
            extracted_text=self.extraction.text,
        )

    def discard(self) -> None:
        storage.remove([self.key])


def _receive(upload: FileStorage) -> Received:
    """Stream the upload to storage, decide its kind and read its text; or refuse it."""
    filename = display_filename(upload.filename)
    try:
        incoming = storage.receive(upload.stream, storage.max_upload_bytes())
    except storage.TooLarge:
        raise TooLarge(too_large_message()) from None
    try:
        kind = detect(incoming.path, filename)
        extraction = extract_text(incoming.path, kind.name)
        key = storage.keep(incoming)
    except BaseException:
        storage.discard(incoming)
        raise
    return Received(
        key=key,
        filename=filename,
        kind=kind,
        size=incoming.size,
        sha256=incoming.sha256,
        extraction=extraction,
    )


# --- Helpers -------------------------------------------------------------------------


def _readable_file(user: User, file_id: int) -> tuple[LibraryFile, Group, GroupAccess]:
    """The file, its group and your access: 404 if unseen, 403 if its group is unreadable."""
    library_file = db.session.get(LibraryFile, file_id)
    group, access = group_of_readable_content(user, library_file, NO_FILE, _("library"))
    return library_file, group, access


def _why_not_adding(user: User, group: Group, access: GroupAccess) -> str:
    if group.archived_at is not None:
        return _("This group is archived; its library can be read but not added to.")
    if not access.is_member:
        return _("Join this group to add files to its library.")
    if not policy.can_post(user):
        return _(
            "Confirm your email address (and wait for approval if you were told to) "
            "before you add files."
        )
    return _("You may not add files to this group's library.")


def _title_from(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return (stem.replace("_", " ").strip() or filename)[:200]
