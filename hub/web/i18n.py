"""Flask-Babel: every string people read goes through it (en-GB now, Welsh to follow), and
times are shown in UK time.

A page shows a hundred strings and a score of times: each is looked up with what this
request found once (its translations and locale), not through Flask-Babel's own lookups of
the locale and catalogue for every call."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import parse_pattern
from flask import Flask, g
from flask_babel import Babel, get_locale, get_translations
from jinja2 import pass_context, pass_eval_context
from markupsafe import Markup, escape

from hub.db import in_uk

babel = Babel()

GOVUK_TIME = "d MMMM yyyy 'at' h:mma"


def uk_time(when: datetime | None, format: str = GOVUK_TIME) -> str:
    """A stored UTC time as people in the UK read it (GMT or BST), e.g. 5 December 2026
    at 9:30am, as GOV.UK writes times."""
    if when is None:
        return ""
    return _uk_time(when, format, request_locale())


@pass_context
def uk_time_filter(context, when: datetime | None, format: str = GOVUK_TIME) -> str:
    """`uk_time` in templates, with the locale the page's context holds (see
    `page_callables`)."""
    if when is None:
        return ""
    return _uk_time(when, format, context.get("hub_locale") or request_locale())


@lru_cache(maxsize=8192)
def _uk_time(when: datetime, format: str, locale) -> str:
    # Babel's formatting reads the locale's month names and the pattern's fields each call;
    # the same times are shown again and again (a thread's posts, a group's threads).
    return parse_pattern(format).apply(in_uk(when), locale)


def translations():
    """This request's translations, looked up once: Flask-Babel finds the locale, its name
    and the catalogue again for every string. (Nothing in the hub changes the locale within
    a request: no force_locale.)"""
    found = g.get("hub_translations")
    if found is None:
        found = g.hub_translations = get_translations()
    return found


def gettext(string: str, **variables) -> str:
    """Flask-Babel's gettext, with this request's translations looked up once: for pages'
    views (in a request; the rest of the hub uses Flask-Babel's)."""
    translated = translations().ugettext(string)
    return translated % variables if variables else translated


def request_locale():
    """This request's locale, looked up once (as `translations`)."""
    found = g.get("hub_locale")
    if found is None:
        found = g.hub_locale = get_locale()
    return found


def _formatted(eval_ctx, translated: str, variables: dict):
    """What Jinja's "newstyle" gettext returns: the translation, marked safe when the
    template escapes, with its %(name)s placeholders filled in (and escaped). A string
    without % has nothing to fill in, and is returned as it is."""
    if not (variables or "%" in translated):
        return Markup(translated) if eval_ctx.autoescape else translated
    if not eval_ctx.autoescape:
        return translated % variables
    # What Markup's % gives, with the values escaped here: Markup's % wraps each value in a
    # helper object, which costs most of a list's row ("Started by %(name)s" on each).
    return Markup(translated % {name: _escaped(value) for name, value in variables.items()})


def _escaped(value):
    """A value to fill a translation with, escaped; numbers stay numbers, for %(num)d."""
    return value if isinstance(value, int | float) else escape(value)


def _template_functions(find_translations) -> tuple:
    """Jinja's gettext and ngettext with the translations `find_translations()` gives."""

    @pass_eval_context
    def template_gettext(eval_ctx, string: str, **variables):
        return _formatted(eval_ctx, find_translations().ugettext(string), variables)

    @pass_eval_context
    def template_ngettext(eval_ctx, singular: str, plural: str, num: int, **variables):
        variables.setdefault("num", num)
        translated = find_translations().ungettext(singular, plural, num)
        return _formatted(eval_ctx, translated, variables)

    return template_gettext, template_ngettext


template_gettext, template_ngettext = _template_functions(translations)


def page_callables() -> dict:
    """For each page's context: gettext and ngettext bound to this request's translations,
    and its locale, so that a page's hundred strings and score of times reach them without
    looking the request up each time. (Macros imported without the page's context use the
    globals, which look it up.)"""
    found = translations()
    page_gettext, page_ngettext = _template_functions(lambda: found)
    return {
        "_": page_gettext,
        "gettext": page_gettext,
        "ngettext": page_ngettext,
        "hub_locale": request_locale(),
        "hub_lang": language_tag(request_locale()),
    }


def language_tag(locale) -> str:
    """The locale as HTML's lang and the browser's Intl name it: en_GB is en-GB."""
    return str(locale).replace("_", "-") if locale else "en-GB"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en_GB")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/London")
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent.parent / "translations")
    )
    babel.init_app(app)
    # Flask-Babel installs newstyle gettext (placeholders filled in by gettext itself,
    # autoescaped); these are the same, with `_` the function itself rather than Jinja's
    # alias, which looks `gettext` up again on each call.
    app.jinja_env.newstyle_gettext = True
    app.jinja_env.globals.update(
        _=template_gettext, gettext=template_gettext, ngettext=template_ngettext
    )
    app.context_processor(page_callables)
    app.jinja_env.filters["uk_time"] = uk_time_filter
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
