"""Who is calling: session cookie or bearer token; 401 and CSRF for every route by default.

Authentication is required everywhere except the few public endpoints listed here, so a
new route is protected without anyone remembering to protect it.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from hub.auth import service
from hub.auth.models import User
from hub.errors import abort
from hub.extensions import login_manager

PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.register",
        "auth.login",
        "auth.verify_email",
        "ops.healthz",
        "ops.readyz",
        "api-docs.openapi_json",
        "api-docs.openapi_swagger_ui",
        "static",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@login_manager.user_loader
def load_user_from_session(user_id: str) -> User | None:
    user = service.user_by_id(int(user_id))
    if user is not None and user.is_active:
        g.authenticated_by = "cookie"
        return user
    return None


@login_manager.request_loader
def load_user_from_token(req) -> User | None:
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return service.user_for_token(token.strip())


@login_manager.unauthorized_handler
def unauthorized():
    abort(
        401,
        "Sign in first: send a session cookie from POST /api/v1/auth/login or an "
        "'Authorization: Bearer <token>' header.",
    )


def require_authentication_and_csrf() -> None:
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return
    if not current_user.is_authenticated:
        unauthorized()
    if request.method in SAFE_METHODS or g.get("authenticated_by") == "token":
        return
    if not service.csrf_token_matches(request.headers.get("X-CSRF-Token")):
        abort(
            403,
            "This request needs the X-CSRF-Token header with the token from sign-in "
            "(or GET /api/v1/auth/csrf).",
        )


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, which builds its signer only for a request that sends
    the cookie: a bearer-token request (most API calls) starts with an empty session."""

    def open_session(self, app, request):
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()
    login_manager.init_app(app)
    login_manager.session_protection = None
    app.before_request(require_authentication_and_csrf)
