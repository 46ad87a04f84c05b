"""CSRF for forms: every POST to a page carries a hidden `csrf_token` field.

Signed in, it is the browser session's own token (hub.auth.sessions), as the API's
X-CSRF-Token header is. Signed out (sign in, register, password reset) there is no session
yet, so the token is a double-submit one: a random value in a cookie of its own, which a
page on another site can neither read nor set, repeated in the form.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, after_this_request, current_app, g, request
from flask_login import current_user

from hub.auth import guard

COOKIE = "hub_csrf"
FIELD = "csrf_token"


def form_token() -> str:
    """The token this browser's forms carry (made, with its cookie, on first use)."""
    if current_user.is_authenticated and g.get("csrf_token"):
        return g.csrf_token
    if "signed_out_csrf" not in g:
        g.signed_out_csrf = request.cookies.get(COOKIE) or _new_cookie_token()
    return g.signed_out_csrf


def _new_cookie_token() -> str:
    token = secrets.token_urlsafe(32)

    @after_this_request
    def set_cookie(response):
        config = current_app.config
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite=config["SESSION_COOKIE_SAMESITE"],
            secure=config["SESSION_COOKIE_SECURE"],
            path="/",
        )
        return response

    return token


def form_token_matches() -> bool:
    sent = request.form.get(FIELD, "")
    if current_user.is_authenticated and g.get("csrf_token"):
        expected = g.csrf_token
    else:
        expected = request.cookies.get(COOKIE, "")
    return bool(sent and expected and hmac.compare_digest(sent, expected))


def check_form_post():
    """Before a page's POST: without the right `csrf_token` field, 400 and nothing done."""
    if request.method != "POST" or request.blueprint not in guard.PAGE_BLUEPRINTS:
        return
    if not form_token_matches():
        from hub.web.errors import page_refusal

        return page_refusal(400, "form_expired")


def init_app(app: Flask) -> None:
    app.before_request(check_form_post)
    app.jinja_env.globals["csrf_token"] = form_token
