"""Flask-Babel: every string people read goes through it (en-GB now, Welsh to follow), and
times are shown in UK time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask
from flask_babel import Babel, format_datetime

from hub.db import in_uk

babel = Babel()


def uk_time(when: datetime | None, format: str = "d MMMM yyyy 'at' h:mma") -> str:
    """A stored UTC time as people in the UK read it (GMT or BST), e.g. 5 December 2026
    at 9:30am, as GOV.UK writes times."""
    if when is None:
        return ""
    return format_datetime(in_uk(when), format, rebase=False)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en_GB")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/London")
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent.parent / "translations")
    )
    babel.init_app(app)
    app.jinja_env.filters["uk_time"] = uk_time
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
