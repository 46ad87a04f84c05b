"""Full-text search across everything a person may read."""

from __future__ import annotations

from flask import Flask

from hub import outbox
from hub.search import service, tracking


def init_app(app: Flask) -> None:
    """Open the index, keep it in step with every commit, and index what the outbox says."""
    service.init_app(app)
    tracking.start()
    outbox.register("search", service.apply_changes)
