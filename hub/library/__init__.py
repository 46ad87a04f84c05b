"""Group libraries: folders, files and their versions, storage and text extraction."""

from __future__ import annotations

import logging

from flask import Flask

from hub.library import storage

log = logging.getLogger("hub.library")


def init_app(app: Flask) -> None:
    removed = storage.remove_abandoned_uploads(app)
    if removed:
        log.info("removed abandoned uploads", extra={"count": removed})
