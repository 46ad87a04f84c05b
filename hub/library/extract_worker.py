"""Reads the text of one document, in a process of its own, under hard limits.

Run by hub.library.extraction as `python -I -B extract_worker.py KIND PATH`; prints one
line of JSON, `{"ok": true, "text": ...}` or `{"ok": false, "error": ...}`. Before it
imports any parser it caps its own memory (RLIMIT_AS), CPU time (RLIMIT_CPU) and file
writes, so a hostile document can at worst kill this process, never the server.

Only the standard library is imported at the top: the server imports this module too,
for the zip guard, which must not drag the parsers into the web process.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile

MEMORY_LIMIT = 512 * 1024 * 1024
CPU_SECONDS = 15
MAX_TEXT_CHARS = 1_000_000
MAX_PDF_PAGES = 2_000

# Zip bombs: office documents are zips of XML. Python's zipfile never inflates an entry
# past the size its directory declares, so checking the declared sizes is enough.
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_TOTAL = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
RATIO_CHECK_FROM = 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n[ \t]*(\n[ \t]*)+")


class Unreadable(Exception):
    """The document cannot be read; the message says why, for people."""


def zip_problem(archive: zipfile.ZipFile) -> str | None:
    """Why this zip is too dangerous to open (a zip bomb), or None."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        return f"it holds more than {MAX_ZIP_ENTRIES:,} parts"
    total = sum(entry.file_size for entry in entries)
    if total > MAX_ZIP_TOTAL:
        return f"it unpacks to more than {MAX_ZIP_TOTAL // (1024 * 1024)} MB"
    for entry in entries:
        if entry.file_size >= RATIO_CHECK_FROM and (
            entry.compress_size == 0 or entry.file_size / entry.compress_size > MAX_ZIP_RATIO
        ):
            return f"a part unpacks to more than {MAX_ZIP_RATIO} times its packed size"
    return None


def _open_office_zip(path: str) -> zipfile.ZipFile:
    """Open a zip-based document after checking it for bombs and XML declarations."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise Unreadable("The document is damaged: it is not a readable zip archive.") from error
    problem = zip_problem(archive)
    if problem:
        raise Unreadable(f"The document was not read because {problem} (a possible zip bomb).")
    for entry in archive.infolist():
        if entry.filename.endswith((".xml", ".rels")) and _declares_doctype(archive, entry):
            raise Unreadable(
                "The document was not read because its XML declares a DOCTYPE or entities, "
                "which office suites never write (a possible XML entity attack)."
            )
    return archive


def _declares_doctype(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    with archive.open(entry) as stream:
        head = stream.read(4)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return True  # UTF-16 XML: no office suite writes it; refuse rather than scan
        tail = head
        while True:
            chunk = stream.read(64 * 1024)
            window = (tail + chunk).upper()
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                return True
            if not chunk:
                return False
            tail = chunk[-16:]


def _clean(parts: list[str]) -> str:
    text = _CONTROL.sub(" ", "\n".join(p for p in parts if p))
    text = _BLANK_LINES.sub("\n\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()[:MAX_TEXT_CHARS]


class _Collector:
    """Gathers text until MAX_TEXT_CHARS, so a huge document stops being read early."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str | None) -> bool:
        if text:
            self.parts.append(text)
            self.size += len(text) + 1
        return self.size < MAX_TEXT_CHARS

    def text(self) -> str:
        return _clean(self.parts)


def decode_text(data: bytes) -> str:
    """Text files: UTF-8 (with or without a byte order mark), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- One reader a kind ----------------------------------------------------------------


def read_pdf(path: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            # Many PDFs are encrypted with an empty password only to restrict printing.
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise Unreadable(
                    "The PDF is encrypted (password protected), so its text could not be read."
                )
        collector = _Collector()
        for number, page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES or not collector.add(page.extract_text()):
                break
        return collector.text()
    except FileNotDecryptedError as error:
        raise Unreadable(
            "The PDF is encrypted (password protected), so its text could not be read."
        ) from error
    except PdfReadError as error:
        raise Unreadable("The PDF is damaged, so its text could not be read.") from error


def read_docx(path: str) -> str:
    _open_office_zip(path).close()
    import docx

    document = docx.Document(path)
    collector = _Collector()
    for paragraph in document.paragraphs:
        if not collector.add(paragraph.text):
            return collector.text()
    for table in document.tables:
        for row in table.rows:
            if not collector.add("\t".join(cell.text for cell in row.cells)):
                return collector.text()
    return collector.text()


def read_xlsx(path: str) -> str:
    _open_office_zip(path).close()
    import openpyxl

    # A file object: openpyxl refuses paths that do not end in .xlsx, and ours never do.
    stream = open(path, "rb")  # noqa: SIM115 (closed with the workbook below)
    workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    collector = _Collector()
    try:
        for sheet in workbook.worksheets:
            collector.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells = [str(value) for value in row if value is not None]
                if cells and not collector.add("\t".join(cells)):
                    return collector.text()
    finally:
        workbook.close()
        stream.close()
    return collector.text()


def read_pptx(path: str) -> str:
    _open_office_zip(path).close()
    import pptx

    presentation = pptx.Presentation(path)
    collector = _Collector()
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame and not collector.add(shape.text_frame.text):
                return collector.text()
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    collector.add("\t".join(cell.text for cell in row.cells))
        if slide.has_notes_slide:
            collector.add(slide.notes_slide.notes_text_frame.text)
    return collector.text()


_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODF_BLOCKS = {_ODF_TEXT + "p", _ODF_TEXT + "h"}
_ODF_SPACES = {_ODF_TEXT + "s", _ODF_TEXT + "tab", _ODF_TEXT + "line-break"}


def read_odf(path: str) -> str:
    """ODT, ODS and ODP: the paragraphs and headings of content.xml, by defusedxml."""
    archive = _open_office_zip(path)
    from defusedxml import ElementTree

    try:
        with archive.open("content.xml") as stream:
            root = ElementTree.parse(stream, forbid_dtd=True).getroot()
    except KeyError as error:
        raise Unreadable("The document is damaged: it has no content.xml.") from error
    finally:
        archive.close()
    collector = _Collector()
    for element in root.iter():
        if element.tag in _ODF_BLOCKS and not collector.add(_odf_text(element)):
            break
    return collector.text()


def _odf_text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag in _ODF_SPACES:
            parts.append(" ")
        elif child.tag not in _ODF_BLOCKS:  # nested paragraphs are read on their own
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_plain(path: str) -> str:
    with open(path, "rb") as stream:
        return _clean([decode_text(stream.read(MAX_TEXT_CHARS * 4))])


def read_html(path: str) -> str:
    from html.parser import HTMLParser

    class TextOnly(HTMLParser):
        skipped = {"script", "style", "template", "noscript", "svg", "math"}

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.depth = 0
            self.collector = _Collector()

        def handle_starttag(self, tag, attrs):
            if tag in self.skipped:
                self.depth += 1

        def handle_endtag(self, tag):
            if tag in self.skipped and self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if not self.depth and data.strip():
                self.collector.add(data.strip())

    parser = TextOnly()
    with open(path, "rb") as stream:
        parser.feed(decode_text(stream.read(MAX_TEXT_CHARS * 4)))
    parser.close()
    return parser.collector.text()


READERS = {
    "pdf": read_pdf,
    "docx": read_docx,
    "xlsx": read_xlsx,
    "pptx": read_pptx,
    "odt": read_odf,
    "ods": read_odf,
    "odp": read_odf,
    "csv": read_plain,
    "txt": read_plain,
    "md": read_plain,
    "html": read_html,
}


def limit_this_process() -> None:
    import resource
    import signal

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # No file needs writing: a write fails (EFBIG) instead of killing with SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def main(argv: list[str]) -> int:
    limit_this_process()
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    kind, path = argv[1], argv[2]
    try:
        result = {"ok": True, "text": READERS[kind](path)}
    except Unreadable as error:
        result = {"ok": False, "error": str(error)}
    except MemoryError:
        result = {"ok": False, "error": "Reading the text needed too much memory."}
    except RecursionError:
        result = {"ok": False, "error": "The document is nested too deeply to read."}
    except Exception as error:  # any parser failure: the file is kept without text
        result = {
            "ok": False,
            "error": f"The document could not be read ({type(error).__name__}); it may be "
            "damaged or in an unusual form.",
        }
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
