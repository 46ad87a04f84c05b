"""The hub's own errors, raised by services, and the API edge's JSON for every failure.

Services raise a `HubError` (NotFound, Forbidden, Conflict, Invalid, ...): a refusal a
person can act on, with no HTTP in it. Each edge maps it once: here to a JSON response,
in hub.live.events to an acknowledgement, in the web client to a page. `abort` is for the
edges themselves (the request guard, a view).
"""

from __future__ import annotations

import logging
import uuid
from typing import NoReturn

import flask_smorest
from flask import Flask, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

log = logging.getLogger("hub.errors")

FRIENDLY_MESSAGES = {
    400: lazy_gettext("The request could not be understood; check that the body is valid JSON."),
    401: lazy_gettext(
        "Sign in first: send a session cookie from POST /api/v1/auth/login or "
        "an 'Authorization: Bearer <token>' header."
    ),
    403: lazy_gettext("You are signed in but not allowed to do this."),
    404: lazy_gettext("Nothing was found at this address, or you may not see it."),
    405: lazy_gettext(
        "This address does not accept that method; see /api/docs for what it does accept."
    ),
    413: lazy_gettext("The request is too large."),
    415: lazy_gettext("This type of content is not accepted here."),
    429: lazy_gettext("Too many requests; wait and try again."),
}


class HubError(Exception):
    """A refusal with a message a person can act on; `errors` names fields by location."""

    status = 400

    def __init__(
        self, message: str, errors: dict | None = None, retry_after: int | None = None
    ) -> None:
        # A message made at import time (lazy_gettext) is translated now, in the locale
        # of the request or event that meets the refusal.
        message = str(message)
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.retry_after = retry_after


class BadRequest(HubError):
    status = 400


class Unauthorized(HubError):
    status = 401


class Forbidden(HubError):
    status = 403


class NotFound(HubError):
    """Missing, or hidden from the caller: the two are never told apart."""

    status = 404


class Conflict(HubError):
    status = 409


class TooLarge(HubError):
    status = 413


class UnsupportedType(HubError):
    status = 415


class Invalid(HubError):
    status = 422


class RateLimited(HubError):
    status = 429


def abort(code: int, message: str, errors: dict | None = None, **kwargs) -> NoReturn:
    """Stop the request with a JSON error a person can act on."""
    if errors is not None:
        kwargs["errors"] = errors
    flask_smorest.abort(code, message=message, **kwargs)


def error_body(code: int, status: str, message: str, **extra) -> dict:
    return {"code": code, "status": status, "message": message, **extra}


def handle_http_exception(error: HTTPException):
    data = getattr(error, "data", None) or {}
    message = data.get("message")
    errors = data.get("errors") or data.get("messages")
    code = error.code or 500
    if code == 422 and not message:
        message = _("Some fields are invalid; see 'errors' for what to correct.")
    if code == 429 and not message:
        message = _(
            "Too many requests (limit: %(limit)s); wait and try again.", limit=error.description
        )
    if code == 400 and errors and not message:
        message = _first_error(errors) or str(FRIENDLY_MESSAGES[400])
    if not message:
        message = str(FRIENDLY_MESSAGES.get(code) or error.description or error.name)
    body = error_body(code, error.name, message)
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_hub_error(error: HubError):
    """A service's refusal, as the API answers every error."""
    body = error_body(error.status, HTTP_STATUS_CODES[error.status], error.message)
    if error.errors:
        body["errors"] = error.errors
    response = jsonify(body)
    response.status_code = error.status
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def handle_unexpected_exception(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    reference = uuid.uuid4().hex[:12]
    log.exception("unhandled error", extra={"reference": reference})
    body = error_body(
        500,
        "Internal Server Error",
        _(
            "Something went wrong on our side and nothing was changed. "
            "If it happens again, report reference %(reference)s.",
            reference=reference,
        ),
        reference=reference,
    )
    response = jsonify(body)
    response.status_code = 500
    return response


def _first_error(errors) -> str | None:
    if isinstance(errors, dict):
        for value in errors.values():
            found = _first_error(value)
            if found:
                return found
    if isinstance(errors, list) and errors:
        return str(errors[0])
    if isinstance(errors, str):
        return errors
    return None


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HubError, handle_hub_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected_exception)
