"""What the API and the pages both do to a browser: start its session (the cookie), and
count its tries against the same rate limits.

Each limit is shared between the two edges (one scope, one count): ten wrong passwords
are ten whether they were posted as JSON or from the sign-in page.
"""

from __future__ import annotations

from flask import after_this_request, current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from hub.auth import service, sessions
from hub.auth.models import BrowserSession, User


def start_browser_session(user: User) -> BrowserSession:
    """A new server-side session, its key set as the cookie on this response."""
    cookie_name = current_app.config["SESSION_COOKIE_NAME"]
    record, key = service.sign_in(
        user, request.headers.get("User-Agent"), request.cookies.get(cookie_name)
    )

    @after_this_request
    def set_cookie(response):
        response.set_cookie(cookie_name, key, **sessions.cookie_options())
        return response

    return record


def register_limit() -> str:
    return current_app.config["HUB_REGISTER_LIMIT"]


def login_failure_limit() -> str:
    return current_app.config["HUB_LOGIN_FAILURE_LIMIT"]


def password_reset_limit() -> str:
    return current_app.config["HUB_PASSWORD_RESET_LIMIT"]


def _posted_email() -> str:
    """The `email` field of a JSON body or of a form, normalised; '' when there is none."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else request.form.get("email")
    return service.normalise_email(email) if isinstance(email, str) else ""


def account_from_address() -> str:
    """Failed sign-ins count per account *and* address (and, separately, per address):
    someone else's guesses from elsewhere never lock the owner out."""
    return f"login-account:{_posted_email()}:from:{get_remote_address()}"


def signed_in_account() -> str:
    return f"password-change:{current_user.id}"


def closing_account() -> str:
    return f"close-account:{current_user.id}"


def reset_email() -> str:
    return "password-reset:" + _posted_email()


# The scopes of the shared limits: the API's route and the page count together.
SIGN_IN_FAILURES = "sign-in-failures"
SIGN_IN_FAILURES_BY_ACCOUNT = "sign-in-failures-by-account"
REGISTRATIONS = "registrations"
PASSWORD_RESETS = "password-resets"
PASSWORD_RESETS_BY_EMAIL = "password-resets-by-email"
WRONG_CURRENT_PASSWORD = "wrong-current-password"
CLOSE_ACCOUNT_WRONG_PASSWORD = "close-account-wrong-password"
