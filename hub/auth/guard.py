"""Who is calling: session cookie or bearer token; 401 and CSRF for every route by default.

Authentication is required everywhere except the few public endpoints listed here, so a
new route is protected without anyone remembering to protect it.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask.sessions import SessionInterface
from flask_babel import gettext as _
from flask_login import current_user

from hub.auth import service, sessions
from hub.auth.models import User
from hub.errors import abort
from hub.extensions import login_manager

PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.register",
        "auth.login",
        "auth.verify_email",
        "auth.request_password_reset",
        "auth.confirm_password_reset",
        "ops.healthz",
        "ops.readyz",
        "ops.asyncapi_json",
        "api-docs.openapi_json",
        "api-docs.openapi_swagger_ui",
        "static",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Blueprints of pages (hub.web.pages adds them): the web edge signs people in by redirect
# and checks each form's csrf_token field itself (hub.web.csrf).
PAGE_BLUEPRINTS: set[str] = set()


@login_manager.request_loader
def load_caller(req) -> User | None:
    """A bearer token when one is sent (and then only it), else the browser session's
    cookie; None for anything ended, revoked or deactivated."""
    header = req.headers.get("Authorization", "")
    if header:
        scheme, _space, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return service.user_for_token(token.strip())
    key = req.cookies.get(current_app.config["SESSION_COOKIE_NAME"])
    return sessions.caller_for_key(key) if key else None


@login_manager.unauthorized_handler
def unauthorized():
    abort(
        401,
        _(
            "Sign in first: send a session cookie from POST /api/v1/auth/login or an "
            "'Authorization: Bearer <token>' header."
        ),
    )


def require_authentication_and_csrf() -> None:
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return
    if request.blueprint in PAGE_BLUEPRINTS:
        return
    if not current_user.is_authenticated:
        unauthorized()
    if request.method in SAFE_METHODS or g.get("authenticated_by") == "token":
        return
    if not service.csrf_token_matches(request.headers.get("X-CSRF-Token")):
        abort(
            403,
            _(
                "This request needs the X-CSRF-Token header with the token from sign-in "
                "(or GET /api/v1/auth/csrf)."
            ),
        )


class NoFlaskSession(SessionInterface):
    """Flask's own cookie session is not used: sign-in state lives on the server
    (hub.auth.sessions), so nothing may keep it, or anything else, in a signed cookie."""

    def open_session(self, app, request):
        return None  # Flask then uses its null session, which refuses writes

    def save_session(self, app, session, response):
        return None


def init_app(app: Flask) -> None:
    app.session_interface = NoFlaskSession()
    login_manager.init_app(app)
    login_manager.session_protection = None
    app.before_request(require_authentication_and_csrf)
