"""Accounts API: register, sign in and out, CSRF, email verification, API tokens."""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user, login_user, logout_user

from hub.auth import service
from hub.auth.schemas import (
    CsrfSchema,
    LoginResultSchema,
    LoginSchema,
    MeSchema,
    NewTokenSchema,
    RegisterSchema,
    TokenCreateSchema,
    TokenSchema,
    VerifyEmailSchema,
)
from hub.blueprint import Blueprint
from hub.db import paginate
from hub.extensions import limiter

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Accounts and sign-in")
admin_blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Site admin")


def _register_limit() -> str:
    return current_app.config["HUB_REGISTER_LIMIT"]


def _login_failure_limit() -> str:
    return current_app.config["HUB_LOGIN_FAILURE_LIMIT"]


def _login_email() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return "login-account:" + (service.normalise_email(email) if isinstance(email, str) else "")


def _failed(response) -> bool:
    return response.status_code == 401


@blp.route("/auth/register", methods=["POST"])
@limiter.limit(_register_limit)
@blp.arguments(RegisterSchema)
@blp.response(201, MeSchema)
def register(data):
    """Create an account."""
    return service.register(data)


@blp.route("/auth/login", methods=["POST"])
@limiter.limit(_login_failure_limit, deduct_when=_failed)
@limiter.limit(_login_failure_limit, key_func=_login_email, deduct_when=_failed)
@blp.arguments(LoginSchema)
@blp.response(200, LoginResultSchema)
def login(data):
    """Sign in: sets the session cookie and returns the CSRF token for unsafe requests."""
    user = service.authenticate(data["email"], data["password"])
    session.clear()
    login_user(user)
    return {"user": user, "csrf_token": service.new_csrf_token()}


@blp.route("/auth/logout", methods=["POST"])
@blp.response(204)
def logout():
    """Sign out of this browser session."""
    logout_user()
    session.clear()


@blp.route("/auth/csrf", methods=["GET"])
@blp.response(200, CsrfSchema)
def csrf():
    """The CSRF token of this session (send it as X-CSRF-Token on unsafe requests)."""
    return {"csrf_token": session.get("csrf_token") or service.new_csrf_token()}


@blp.route("/auth/verify-email", methods=["POST"])
@blp.arguments(VerifyEmailSchema)
@blp.response(200, MeSchema)
def verify_email(data):
    """Confirm an email address with the token sent to it."""
    return service.verify_email(data["token"])


@blp.route("/auth/verify-email/resend", methods=["POST"])
@blp.response(202)
def resend_verification():
    """Send the confirmation email again."""
    service.resend_verification(current_user)


@blp.route("/auth/tokens", methods=["POST"])
@blp.arguments(TokenCreateSchema)
@blp.response(201, NewTokenSchema)
def create_token(data):
    """Create a personal API token; the token is shown only in this response."""
    record, token = service.create_token(current_user, data["name"])
    return {
        "id": record.id,
        "name": record.name,
        "created_at": record.created_at,
        "last_used_at": None,
        "token": token,
    }


@blp.route("/auth/tokens", methods=["GET"])
@blp.response(200, TokenSchema(many=True))
@blp.paginate()
def list_tokens(pagination_parameters):
    """Your API tokens (never the tokens themselves)."""
    return paginate(service.list_tokens(current_user), pagination_parameters)


@blp.route("/auth/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
def revoke_token(token_id):
    """Revoke a token: it stops working at once."""
    service.revoke_token(current_user, token_id)


@admin_blp.route("/accounts/awaiting-approval", methods=["GET"])
@admin_blp.response(200, MeSchema(many=True))
@admin_blp.paginate()
def accounts_awaiting_approval(pagination_parameters):
    """Accounts with addresses outside the public-sector allowlist, waiting for approval."""
    return paginate(service.accounts_awaiting_approval(current_user), pagination_parameters)


@admin_blp.route("/accounts/<int:user_id>/approve", methods=["POST"])
@admin_blp.response(200, MeSchema)
def approve_account(user_id):
    """Approve an account so that it may post."""
    return service.approve_account(current_user, user_id)
