"""Text extraction, run in a separate process with memory, CPU and wall-clock limits.

The worker (hub/library/extract_worker.py) limits itself before it imports a parser; this
side adds the wall-clock timeout, kills the worker's whole process group when it is
passed, and caps what it will read back. Whatever happens, the answer is an Extraction:
text, or a reason a person can read. Nothing here raises to the request.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from hub.library import extract_worker

log = logging.getLogger("hub.library")

WORKER = Path(extract_worker.__file__).resolve()
TIMEOUT_SECONDS = 20
MAX_OUTPUT_BYTES = 16 * 1024 * 1024
EXTRACTABLE = frozenset(extract_worker.READERS)


@dataclass(frozen=True)
class Extraction:
    text: str | None = None
    error: str | None = None

    @property
    def extracted(self) -> bool:
        return self.text is not None


def extract_text(path: Path, kind: str) -> Extraction:
    """The text of a stored file of a detected kind; images and the like have none."""
    if kind not in EXTRACTABLE:
        return Extraction()
    timeout = current_app.config.get("HUB_EXTRACTION_TIMEOUT", TIMEOUT_SECONDS)
    command = [sys.executable, "-I", "-B", str(WORKER), kind, str(path)]
    try:
        worker = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"},
            start_new_session=True,  # its own process group, so a timeout kills all of it
            close_fds=True,
        )
    except OSError:
        log.exception("could not start the text extraction worker")
        return Extraction(error="The text could not be read: the reader did not start.")
    try:
        output, errors = worker.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(worker)
        return Extraction(
            error=f"Reading the text took longer than {timeout} seconds, so it was stopped."
        )
    if worker.returncode != 0:
        log.warning(
            "text extraction worker failed",
            extra={"kind": kind, "returncode": worker.returncode, "stderr": errors[-500:]},
        )
        return Extraction(error=_why_it_stopped(worker.returncode))
    if len(output) > MAX_OUTPUT_BYTES:
        return Extraction(error="The document holds more text than the library keeps.")
    try:
        result = json.loads(output)
    except ValueError:
        return Extraction(error="The text could not be read: the reader gave no answer.")
    if result.get("ok"):
        text = _storable(result.get("text") or "")
        if not text.strip():
            return Extraction(
                error="No text was found in this file; it may hold only images "
                "(a scanned document, for example)."
            )
        return Extraction(text=text)
    return Extraction(error=str(result.get("error") or "The text could not be read.")[:300])


def _kill(worker: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.communicate()


def _why_it_stopped(returncode: int) -> str:
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return "Reading the text needed too much time, so it was stopped."
    if returncode in (-signal.SIGSEGV, -signal.SIGBUS, -signal.SIGABRT):
        return "Reading the text needed too much memory or met a damaged structure."
    return "The text could not be read: the reader stopped unexpectedly."


def _storable(text: str) -> str:
    # PostgreSQL text cannot hold NUL; the worker strips it, but never trust one side.
    return text.replace("\x00", "")
