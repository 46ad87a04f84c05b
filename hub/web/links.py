"""The pages' links: `url_for` with each link built once per process.

A page links to forty places or more (the menu, its breadcrumbs, each thread or file it
lists), and Flask builds each through the URL map every time. A link depends only on the
app's routes, its endpoint, its values and where the hub is mounted, never on who asks, so
each app keeps the links it built (the most recent few thousand) and reuses them."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app, request, url_for

LINKS_KEPT = 8192


def link(endpoint: str, **values) -> str:
    """url_for(endpoint, **values), as a path; built once for each endpoint and values."""
    return _linker(current_app.extensions["hub_links"], request.script_root)(endpoint, **values)


def _linker(built, script_root: str):
    """`link` for one request: its app's links and the hub's mount point, found once.
    Relative endpoints and url_for's own options (_external, _anchor...) are built each
    time, as url_for builds them."""

    def page_link(endpoint: str, **values) -> str:
        if endpoint.startswith(".") or any(name.startswith("_") for name in values):
            return url_for(endpoint, **values)
        # In the order given (the query string's), with the type too: True and 1 are
        # equal keys but different links.
        key = tuple((name, type(value), value) for name, value in values.items())
        try:
            return built(script_root, endpoint, key)
        except TypeError:  # a value that cannot be a key (a list): built as url_for does
            return url_for(endpoint, **values)

    return page_link


def _build(_script_root: str, endpoint: str, key: tuple) -> str:
    return url_for(endpoint, **{name: value for name, _type, value in key})


def page_links() -> dict:
    """For each page's context: `url_for` as `link`, with the request found once. (Macros
    imported without the page's context use the global, which finds it each time.)"""
    if not request:
        return {}
    return {"url_for": _linker(current_app.extensions["hub_links"], request.script_root)}


def init_app(app: Flask) -> None:
    app.extensions["hub_links"] = lru_cache(maxsize=LINKS_KEPT)(_build)
    app.jinja_env.globals["url_for"] = link
    app.context_processor(page_links)
