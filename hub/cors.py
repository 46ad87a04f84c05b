"""CORS for the pages of other sites on HUB_ALLOWED_ORIGINS (a council's own intranet, say):
their browsers may call the API with credentials. Every other origin gets no CORS headers,
so a browser keeps its pages from reading the answers."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

ALLOWED_HEADERS = "Authorization, Content-Type, X-CSRF-Token"
EXPOSED_HEADERS = "X-Pagination, Retry-After"
PREFLIGHT_MAX_AGE = 600  # seconds a browser may keep a preflight's answer


def allowed_origin() -> str | None:
    """The request's Origin when it is on HUB_ALLOWED_ORIGINS, else None."""
    origin = (request.headers.get("Origin") or "").rstrip("/")
    allowed = {o.rstrip("/") for o in current_app.config["HUB_ALLOWED_ORIGINS"]}
    return origin if origin and origin in allowed else None


def is_preflight() -> bool:
    return request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers


def answer_preflight() -> Response | None:
    """A preflight is answered here, before sign-in is asked for: it carries no
    credentials by design, and only says what the real request may be."""
    if not is_preflight():
        return None
    response = current_app.make_response(("", 204))
    if allowed_origin() is not None:
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PATCH, PUT, DELETE"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def add_headers(response: Response) -> Response:
    origin = allowed_origin()
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response.vary.add("Origin")
    return response


def init_app(app: Flask) -> None:
    # Before the sign-in guard: registered first, it runs first.
    app.before_request(answer_preflight)
    app.after_request(add_headers)
