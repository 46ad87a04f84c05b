"""What a file is, decided from its bytes, and what its name may be shown as.

The allowlist is KINDS. A file's bytes decide its kind (the `filetype` package for the
binary formats, the zip's own table of contents for office documents, a strict decode for
text); its name only has to agree. Anything else is refused with a message naming what
is accepted.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask_babel import gettext as _

from hub.errors import Invalid, UnsupportedType
from hub.library.extract_worker import zip_problem

HEAD_BYTES = 64 * 1024
MAX_FILENAME = 200


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


KINDS = {
    kind.name: kind
    for kind in (
        Kind("pdf", "PDF", "application/pdf", (".pdf",)),
        Kind(
            "docx",
            "Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        Kind(
            "odt", "OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text", (".odt",)
        ),
        Kind(
            "xlsx",
            "Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        Kind(
            "ods",
            "OpenDocument spreadsheet (ODS)",
            "application/vnd.oasis.opendocument.spreadsheet",
            (".ods",),
        ),
        Kind(
            "pptx",
            "PowerPoint (PPTX)",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            (".pptx",),
        ),
        Kind(
            "odp",
            "OpenDocument presentation (ODP)",
            "application/vnd.oasis.opendocument.presentation",
            (".odp",),
        ),
        Kind("csv", "CSV", "text/csv", (".csv",)),
        Kind("txt", "plain text", "text/plain", (".txt", ".text")),
        Kind("md", "Markdown", "text/markdown", (".md", ".markdown")),
        Kind("html", "HTML", "text/html", (".html", ".htm")),
        Kind("png", "PNG", "image/png", (".png",)),
        Kind("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg")),
    )
}
ACCEPTED = ", ".join(k.label for k in list(KINDS.values())[:-1]) + " and JPEG"
_BY_MIME = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpeg"}
_ODF_MIMETYPES = {KINDS[k].content_type: k for k in ("odt", "ods", "odp")}
_OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_TEXT_KINDS = ("txt", "csv", "md", "html")
_HTML_MARKUP = re.compile(
    rb"<(!doctype\s+html|html|head|body|title|meta|p|div|span|a|h[1-6]|table|ul|ol|section|"
    rb"article|main|br)\b",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def extension_of(filename: str) -> str:
    return os.path.splitext(filename)[1].lower()


def detect(path: Path, filename: str) -> Kind:
    """The kind of the stored file at `path`, checked against its (sanitized) name."""
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    if not head:
        raise Invalid(_("The file is empty; choose a file with something in it."))
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind = _zip_kind(path)
    else:
        kind = _binary_kind(head) or _text_kind(head, extension_of(filename))
        if zipfile.is_zipfile(path):
            raise UnsupportedType(
                _(
                    "This file is both a %(kind)s file and a zip archive "
                    "(a polyglot), so it is not accepted. Accepted types: "
                    "%(accepted)s.",
                    kind=kind.label,
                    accepted=ACCEPTED,
                ),
            )
    _check_name_agrees(kind, filename)
    return kind


def _zip_kind(path: Path) -> Kind:
    try:
        with zipfile.ZipFile(path) as archive:
            problem = zip_problem(archive)
            if problem:
                raise Invalid(
                    _(
                        "This file was not stored because %(problem)s, which "
                        "real documents never do (a possible zip bomb).",
                        problem=problem,
                    ),
                )
            names = archive.namelist()
            if any(n.lower().endswith(("vbaproject.bin", ".class")) for n in names):
                raise UnsupportedType(
                    _(
                        "Documents with macros or programs inside are not "
                        "accepted; save the document without macros and try again."
                    ),
                )
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in _ODF_MIMETYPES:
                    return KINDS[_ODF_MIMETYPES[mimetype]]
            if "[Content_Types].xml" in names:
                for folder, kind in _OOXML_FOLDERS.items():
                    if any(n.startswith(folder) for n in names):
                        return KINDS[kind]
    except zipfile.BadZipFile as error:
        raise Invalid(
            _(
                "The file is damaged: it starts like an office document but "
                "cannot be opened. Save it again and retry."
            ),
        ) from error
    raise UnsupportedType(
        _(
            "A zip archive is not accepted; upload the documents in it one by "
            "one. Accepted types: %(accepted)s.",
            accepted=ACCEPTED,
        ),
    )


def _binary_kind(head: bytes) -> Kind | None:
    guess = filetype.guess(head)
    if guess is None:
        return None
    if guess.mime in _BY_MIME:
        return KINDS[_BY_MIME[guess.mime]]
    raise UnsupportedType(
        _(
            "Files of type %(mime)s are not accepted. Accepted types: %(accepted)s.",
            mime=guess.mime,
            accepted=ACCEPTED,
        )
    )


def _text_kind(head: bytes, extension: str) -> Kind:
    if not _looks_like_text(head):
        raise UnsupportedType(
            _("This type of file is not accepted. Accepted types: %(accepted)s.", accepted=ACCEPTED)
        )
    if extension in KINDS["html"].extensions and not _HTML_MARKUP.search(head):
        raise UnsupportedType(
            _(
                "The file's name ends in .html but it holds no HTML; rename it "
                "to .txt or upload the real page."
            ),
        )
    for name in _TEXT_KINDS:
        if extension in KINDS[name].extensions:
            return KINDS[name]
    if _HTML_MARKUP.search(head) and b"<" in head.lstrip()[:1]:
        return KINDS["html"]
    return KINDS["txt"]


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 (or Windows-1252) without control characters other than tab and line ends."""
    if b"\x00" in head:
        return False
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return not _CONTROL.search(text)


def _check_name_agrees(kind: Kind, filename: str) -> None:
    extension = extension_of(filename)
    if not extension or extension in kind.extensions:
        return
    accepted_extensions = {e for k in KINDS.values() for e in k.extensions}
    if extension not in accepted_extensions:
        raise UnsupportedType(
            _(
                "Files ending in %(extension)s are not accepted. Accepted types: %(accepted)s.",
                extension=extension,
                accepted=ACCEPTED,
            )
        )
    raise UnsupportedType(
        _(
            "The file's name ends in %(extension)s but its content is "
            "%(kind)s; give it the right name (%(right)s) or "
            "upload the file you meant to.",
            extension=extension,
            kind=kind.label,
            right=kind.extensions[0],
        ),
    )


def display_filename(raw: str | None) -> str:
    """The uploader's filename as safe display text: no path, no control characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    # Cc control, Cf format (bidi overrides that disguise an extension), Cs, Co, Cn.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_FILENAME:
        stem, extension = os.path.splitext(name)
        extension = extension[:20]
        name = stem[: MAX_FILENAME - len(extension)].rstrip(" .") + extension
    return name or "file"
