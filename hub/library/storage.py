"""Where uploaded bytes live: HUB_DATA_DIR/files, under names the server makes.

The uploader's filename never reaches a path. An upload is first streamed into
`files/incoming/` while its bytes are counted against the limit, and only moved to its
final place (`files/<2 hex>/<32 hex>`) once it has been accepted.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import Flask, current_app

CHUNK = 64 * 1024
ABANDONED_AFTER_SECONDS = 3600
KEY = re.compile(r"^[0-9a-f]{32}$")


class TooLarge(Exception):
    """The upload passed the size limit while it was being read."""


@dataclass
class Incoming:
    """An upload streamed to disk, not yet accepted."""

    path: Path
    size: int
    sha256: str


def root() -> Path:
    path = Path(current_app.config["HUB_DATA_DIR"]) / "files"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def max_upload_bytes() -> int:
    return int(current_app.config["HUB_MAX_UPLOAD_MB"]) * 1024 * 1024


def remove_abandoned_uploads(app: Flask) -> int:
    """Delete what a crashed process left half-received in `files/incoming/`; returns how
    many. Only files unwritten for an hour: another process may be receiving one now."""
    incoming = Path(app.config["HUB_DATA_DIR"]) / "files" / "incoming"
    if not incoming.is_dir():
        return 0
    cutoff = time.time() - ABANDONED_AFTER_SECONDS
    removed = 0
    for path in incoming.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another process removed or accepted it meanwhile
            continue
    return removed


def receive(stream: BinaryIO, limit: int) -> Incoming:
    """Copy the stream to a new file in chunks, stopping as soon as it passes `limit` bytes."""
    incoming = root() / "incoming"
    incoming.mkdir(mode=0o700, exist_ok=True)
    path = incoming / uuid.uuid4().hex
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "xb") as out:
            os.chmod(path, 0o600)
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Incoming(path=path, size=size, sha256=digest.hexdigest())


def keep(incoming: Incoming) -> str:
    """Accept an upload: move it to its permanent place and return its storage key."""
    key = uuid.uuid4().hex
    target = path_of(key)
    target.parent.mkdir(mode=0o700, exist_ok=True)
    os.replace(incoming.path, target)
    return key


def discard(incoming: Incoming) -> None:
    incoming.path.unlink(missing_ok=True)


def path_of(key: str) -> Path:
    """The path of a stored file; keys are only ever ours, but check anyway."""
    if not KEY.match(key):
        raise ValueError(f"not a storage key: {key!r}")
    return root() / key[:2] / key


def remove(keys: list[str]) -> None:
    """Delete stored files (after the rows that named them are gone)."""
    for key in keys:
        try:
            path_of(key).unlink(missing_ok=True)
        except (OSError, ValueError):
            current_app.logger.warning("could not remove stored file %s", key)
