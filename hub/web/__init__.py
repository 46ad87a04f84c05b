"""The web edge: the pages people use in a browser, beside the JSON API.

Each feature's pages live in its own `views.py` (a Flask blueprint made by `pages`); this
package is their shell: the layout's assets, Flask-Babel, the forms' CSRF check, signing
in by redirect, and the HTML error pages that the hub's errors map to on a page.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from hub.auth import guard

# The shell's own blueprint: the vendored GOV.UK Frontend files, served by the hub.
blp = Blueprint("web", __name__, static_folder="static", static_url_path="/assets")


def pages(name: str, import_name: str) -> Blueprint:
    """A blueprint of pages: the API's guard leaves its requests to this edge, which signs
    in by redirect and checks each form's `csrf_token` field instead of a header."""
    guard.PAGE_BLUEPRINTS.add(name)
    return Blueprint(name, import_name)


guard.PAGE_BLUEPRINTS.add(blp.name)


def init_app(app: Flask) -> None:
    from hub.web import csrf, errors, i18n, links

    i18n.init_app(app)
    links.init_app(app)
    csrf.init_app(app)
    errors.init_app(app)
    app.register_blueprint(blp)
