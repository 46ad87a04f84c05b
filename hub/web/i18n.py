"""Flask-Babel: every string people read goes through it (en-GB now, Welsh to follow), and
times are shown in UK time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask, g
from flask_babel import Babel, format_datetime, get_translations

from hub.db import in_uk

babel = Babel()


def uk_time(when: datetime | None, format: str = "d MMMM yyyy 'at' h:mma") -> str:
    """A stored UTC time as people in the UK read it (GMT or BST), e.g. 5 December 2026
    at 9:30am, as GOV.UK writes times."""
    if when is None:
        return ""
    return format_datetime(in_uk(when), format, rebase=False)


def translations():
    """This request's translations, looked up once: Flask-Babel finds the locale, its name
    and the catalogue again for every string, a third of the time of a page of a hundred
    strings. (Nothing in the hub changes the locale within a request: no force_locale.)"""
    found = g.get("hub_translations")
    if found is None:
        found = g.hub_translations = get_translations()
    return found


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en_GB")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/London")
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent.parent / "translations")
    )
    babel.init_app(app)
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: translations().ugettext(string),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.filters["uk_time"] = uk_time
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
