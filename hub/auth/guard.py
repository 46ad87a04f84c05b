"""Who is calling: session cookie or bearer token; 401 and CSRF for every route by default.

Authentication is required everywhere except the few public endpoints listed here, so a
new route is protected without anyone remembering to protect it.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_login import current_user
from sqlalchemy.orm import lazyload

from hub.auth import service
from hub.auth.models import User
from hub.errors import abort
from hub.extensions import db, login_manager

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
    # Expertise is loaded only if a view asks for it (GET /me), not on every request.
    user = db.session.get(User, int(user_id), options=[lazyload(User.expertise)])
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


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = None
    app.before_request(require_authentication_and_csrf)
