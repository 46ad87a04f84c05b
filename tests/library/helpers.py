"""Helpers for the library tests: fixtures on disk, uploads, and hostile files made here."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from hub.extensions import db
from hub.library.models import LibraryFile
from tests.factories import ApiClient

API = "/api/v1"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Made by tests/fixtures/make_fixtures.sh with LibreOffice; each holds its own phrase.
PHRASES = {
    "sample.pdf": "marmalade procurement framework",
    "sample.docx": "heron allotment strategy",
    "sample.odt": "lantern bridge consultation",
    "sample.xlsx": "puffin recycling tonnage",
    "sample.ods": "badger footpath repairs",
    "sample.pptx": "walrus library pilot",
    "sample.odp": "gannet coastal erosion workshop",
    "sample.csv": "lighthouse bus pass uptake",
    "sample.txt": "thistle cycle lane survey",
    "sample.md": "saffron youth mentoring",
    "sample.html": "juniper warm homes grant",
}
IMAGES = ("sample.png", "sample.jpg")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "png": "image/png",
    "jpg": "image/jpeg",
}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def upload(person: ApiClient, group_id: int, filename: str, data: bytes, **fields):
    form = {"file": (io.BytesIO(data), filename), **{k: str(v) for k, v in fields.items()}}
    return person.post(
        f"{API}/groups/{group_id}/library/files", data=form, content_type="multipart/form-data"
    )


def add_version(person: ApiClient, file_id: int, filename: str, data: bytes):
    return person.post(
        f"{API}/library/files/{file_id}/versions",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def uploaded(person: ApiClient, group_id: int, name: str = "sample.txt", **fields) -> dict:
    response = upload(person, group_id, name, fixture(name), **fields)
    assert response.status_code == 201, response.json
    return response.json


def stored_text(app, file_id: int) -> str | None:
    """The extracted text of the file's newest version, as search reads it."""
    with app.app_context():
        library_file = db.session.get(LibraryFile, file_id)
        text = library_file.current_version.extracted_text
        db.session.remove()
        return text


def stored_files(app) -> list[Path]:
    root = Path(app.config["HUB_DATA_DIR"]) / "files"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Hostile and broken files ----------------------------------------------------------


def zip_of(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b"</Types>"
)
RELS_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)
WORD_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with_document(document_xml: bytes) -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "_rels/.rels": RELS_XML,
            "word/document.xml": document_xml,
        }
    )


def zip_bomb_docx(megabytes: int = 40) -> bytes:
    body = b"<w:document " + WORD_NS + b"><w:body><w:p><w:r><w:t>"
    padding = b" " * (megabytes * 1024 * 1024)
    return docx_with_document(body + padding + b"</w:t></w:r></w:p></w:body></w:document>")


def billion_laughs_docx() -> bytes:
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    return docx_with_document(
        b'<?xml version="1.0"?><!DOCTYPE w:document ['
        + entities
        + b"]><w:document "
        + WORD_NS
        + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )


def xxe_docx() -> bytes:
    return docx_with_document(
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<w:document " + WORD_NS + b"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body>"
        b"</w:document>"
    )


def malformed_xlsx() -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "xl/workbook.xml": b"<workbook><sheets><sheet name='broken",
        }
    )


def macro_docx() -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "_rels/.rels": RELS_XML,
            "word/document.xml": b"<w:document " + WORD_NS + b"/>",
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 64,
        }
    )


def elf_executable() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + struct.pack("<HHI", 2, 62, 1) + b"\0" * 200


def png_with_zip_appended() -> bytes:
    return fixture("sample.png") + zip_of({"evil/Payload.class": b"\xca\xfe\xba\xbe" + b"\0" * 32})


def pdf_of(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF with a correct cross-reference table around these objects (numbered from 1)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def looping_pdf() -> bytes:
    """The page tree is its own child, and claims a billion pages."""
    return pdf_of(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1000000000 >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R "
            b"/Resources << /XObject << /X 3 0 R >> >> >>",
        ]
    )


def deeply_nested_pdf(depth: int = 200_000) -> bytes:
    return pdf_of(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /Annots " + b"[" * depth + b"]" * depth + b" >>",
        ]
    )


def flate_bomb_pdf(megabytes: int = 600) -> bytes:
    """One page whose content stream inflates to hundreds of megabytes."""
    compressor = zlib.compressobj(9)
    chunk = b"0" * (1024 * 1024)
    stream = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    return pdf_of(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /MediaBox [0 0 612 792] >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ]
    )


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fixture("sample.pdf"))))
    writer.encrypt(
        user_password="only-the-author-knows", owner_password="owner", algorithm="RC4-128"
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
