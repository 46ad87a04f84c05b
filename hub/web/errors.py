"""The web edge's errors: an HTML page for every failure of a page, while the API keeps
answering JSON (hub.errors) for the same errors.

A page request is one for a page blueprint, or for an address that matches nothing outside
/api/. The hub's own errors keep their message: "Not found" never tells a hidden group
from a missing one, as at the API.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from hub import errors as api_errors
from hub.auth import guard
from hub.errors import Forbidden, HubError, NotFound
from hub.web.i18n import gettext as _

log = logging.getLogger("hub.web")

# Paths that are never pages, even when nothing matches them.
NOT_PAGES = ("/api/", "/socket.io", "/live/socket.io")


def is_page_request() -> bool:
    if request.blueprint in guard.PAGE_BLUEPRINTS:
        return True
    if request.url_rule is not None or request.path.startswith(NOT_PAGES):
        return False
    # Nothing matched this method: a page if the address is a page's (or no one's).
    try:
        endpoint, _args = current_app.url_map.bind_to_environ(request.environ).match(method="GET")
    except HTTPException:
        return True
    return endpoint.partition(".")[0] in guard.PAGE_BLUEPRINTS


def _titles() -> dict[int, str]:
    return {
        400: _("Sorry, there is a problem with this form"),
        403: _("You cannot do this"),
        404: _("Page not found"),
        405: _("Page not found"),
        409: _("This cannot be done now"),
        413: _("The file is too large"),
        415: _("This type of file is not accepted"),
        422: _("This cannot be done"),
        429: _("Too many tries"),
        500: _("Sorry, there is a problem with the service"),
    }


def _messages() -> dict[str, str]:
    return {
        "form_expired": _(
            "The form was out of date or came from another site, so nothing was saved. "
            "Go back, reload the page and try again."
        ),
        "not_found": _(
            "If you typed the web address, check it is correct. If you followed a link, "
            "what it leads to may have been removed, or you may not be allowed to see it."
        ),
        "forbidden": _("You are signed in but not allowed to do this."),
        "too_many": _("You have tried too many times. Wait a while, then try again."),
        "too_large": _("The request was too large."),
        "unexpected": _("Nothing was changed. Try again later."),
    }


@contextmanager
def unreadable_is_not_found(
    message: str | None = None,
) -> Iterator[None]:
    """Around a page's read: where the API answers 403 (a group you may see but whose
    content you may not read), a page answers its 404 with `message`, for a GET and a POST
    alike: what you may not read is not there."""
    try:
        yield
    except Forbidden as refusal:
        raise NotFound(message or _("There is nothing here, or you may not see it.")) from refusal


def page_refusal(
    status: int, message_key: str | None = None, message: str | None = None, headers=None
):
    """The HTML page for a refusal: its title by status, and a message a person can act
    on (one of the edge's own, or a service's)."""
    title = _titles().get(status, _("Sorry, there is a problem"))
    text = message or _messages().get(message_key or "", "")
    body = render_template("web/error.html", title=title, message=text, status=status)
    return body, status, headers or {}


def _for_http_exception(error: HTTPException):
    code = error.code or 500
    headers = {}
    if code == 429:
        return page_refusal(429, "too_many")
    if code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
        return page_refusal(405, "not_found", headers=headers)
    keys = {403: "forbidden", 404: "not_found", 413: "too_large", 400: "form_expired"}
    return page_refusal(code, keys.get(code, "unexpected"))


def handle_hub_error(error: HubError):
    if not is_page_request():
        return api_errors.handle_hub_error(error)
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else {}
    if error.status == 404:
        return page_refusal(404, "not_found")
    return page_refusal(error.status, message=error.message, headers=headers)


def handle_http_exception(error: HTTPException):
    if not is_page_request():
        return api_errors.handle_http_exception(error)
    return _for_http_exception(error)


def handle_unexpected_exception(error: Exception):
    if not is_page_request():
        return api_errors.handle_unexpected_exception(error)
    if isinstance(error, HTTPException):
        return _for_http_exception(error)
    reference = uuid.uuid4().hex[:12]
    log.exception("unhandled error on a page", extra={"reference": reference})
    message = _(
        "Nothing was changed. Try again later. If it happens again, report reference "
        "%(reference)s.",
        reference=reference,
    )
    return page_refusal(500, message=message)


def init_app(app: Flask) -> None:
    """Replace the API's handlers with these, which hand every non-page request back to
    them."""
    app.register_error_handler(HubError, handle_hub_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected_exception)
