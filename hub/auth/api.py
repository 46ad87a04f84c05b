"""Accounts API: register, sign in and out, sessions, passwords, CSRF, email
verification, API tokens, and the site admin's account actions."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from hub.auth import browser, service, sessions
from hub.auth.schemas import (
    AdminAccountSchema,
    CsrfSchema,
    LoginResultSchema,
    LoginSchema,
    MeSchema,
    NewTokenSchema,
    PasswordChangeSchema,
    PasswordResetConfirmSchema,
    PasswordResetRequestedSchema,
    PasswordResetRequestSchema,
    RegisterSchema,
    SessionSchema,
    TokenCreateSchema,
    TokenSchema,
    VerifyEmailSchema,
)
from hub.blueprint import Blueprint
from hub.db import paginate
from hub.extensions import limiter

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Accounts and sign-in")
admin_blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Site admin")


def _failed(response) -> bool:
    return response.status_code == 401


def _refused(response) -> bool:
    return response.status_code == 422


@blp.route("/auth/register", methods=["POST"])
@limiter.shared_limit(browser.register_limit, scope=browser.REGISTRATIONS)
@blp.arguments(RegisterSchema)
@blp.response(201, MeSchema)
def register(data):
    """Create an account, and sign in with it (the session cookie; its CSRF token from
    GET /auth/csrf)."""
    user = service.register(data)
    browser.start_browser_session(user)
    return user


@blp.route("/auth/login", methods=["POST"])
@limiter.shared_limit(
    browser.login_failure_limit, scope=browser.SIGN_IN_FAILURES, deduct_when=_failed
)
@limiter.shared_limit(
    browser.login_failure_limit,
    scope=browser.SIGN_IN_FAILURES_BY_ACCOUNT,
    key_func=browser.account_from_address,
    deduct_when=_failed,
)
@blp.arguments(LoginSchema)
@blp.response(200, LoginResultSchema)
def login(data):
    """Sign in: sets the session cookie and returns the CSRF token for unsafe requests."""
    user = service.authenticate(data["email"], data["password"])
    return {"user": user, "csrf_token": browser.start_browser_session(user).csrf_token}


@blp.route("/auth/logout", methods=["POST"])
@blp.response(204)
def logout():
    """Sign out: this browser session ends on the server; its cookie stops working."""
    service.sign_out(current_user)
    sessions.clear_cookie_with_response()


@blp.route("/auth/csrf", methods=["GET"])
@blp.response(200, CsrfSchema)
def csrf():
    """The CSRF token of this browser session (send it as X-CSRF-Token on unsafe
    requests); null for a bearer token, which needs none."""
    return {"csrf_token": g.get("csrf_token")}


@blp.route("/auth/sessions", methods=["GET"])
@blp.response(200, SessionSchema(many=True))
@blp.paginate()
def list_sessions(pagination_parameters):
    """Your signed-in browser sessions, the most recently used first."""
    return paginate(sessions.list_sessions(current_user), pagination_parameters)


@blp.route("/auth/sessions/<int:session_id>", methods=["DELETE"])
@blp.response(204)
def end_session(session_id):
    """End one of your browser sessions (signs that browser out at once)."""
    sessions.end(current_user, session_id)


@blp.route("/auth/password", methods=["POST"])
@limiter.shared_limit(
    browser.login_failure_limit,
    scope=browser.WRONG_CURRENT_PASSWORD,
    key_func=browser.signed_in_account,
    deduct_when=_refused,
)
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
def change_password(data):
    """Change your password; your other browser sessions end (API tokens stay)."""
    service.change_password(current_user, data["current_password"], data["new_password"])


@blp.route("/auth/password-reset", methods=["POST"])
@limiter.shared_limit(browser.password_reset_limit, scope=browser.PASSWORD_RESETS)
@limiter.shared_limit(
    browser.password_reset_limit,
    scope=browser.PASSWORD_RESETS_BY_EMAIL,
    key_func=browser.reset_email,
)
@blp.arguments(PasswordResetRequestSchema)
@blp.response(202, PasswordResetRequestedSchema)
def request_password_reset(data):
    """Email a single-use link, valid for an hour, to choose a new password. The answer is
    the same whether or not an account uses the address."""
    service.request_password_reset(data["email"])
    return {"message": str(service.RESET_ACCEPTED)}


@blp.route("/auth/password-reset/confirm", methods=["POST"])
@blp.arguments(PasswordResetConfirmSchema)
@blp.response(204)
def confirm_password_reset(data):
    """Choose a new password with the token from the email; every session of the account
    ends."""
    service.confirm_password_reset(data["token"], data["password"])


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


@admin_blp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@admin_blp.response(200, AdminAccountSchema)
def deactivate_account(user_id):
    """Deactivate an account: it cannot sign in, and its sessions and live sockets end."""
    return service.deactivate_account(current_user, user_id)


@admin_blp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@admin_blp.response(200, AdminAccountSchema)
def reactivate_account(user_id):
    """Reactivate an account: it may sign in again with its password."""
    return service.reactivate_account(current_user, user_id)


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
