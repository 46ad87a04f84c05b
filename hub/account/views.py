"""Your account, as a page: profile, signed-in sessions, API tokens, password, export and
closing the account. The twin of /api/v1/me and /api/v1/auth/{sessions,tokens,password}."""

from __future__ import annotations

from flask import Response, g, render_template, request, stream_with_context, url_for
from flask_login import current_user

from hub.account import export
from hub.account import service as account_service
from hub.account.schemas import CloseAccountSchema
from hub.auth import browser, sessions
from hub.auth import service as auth_service
from hub.auth.schemas import PasswordChangeSchema
from hub.auth.views import role_options
from hub.db import utcnow
from hub.errors import Conflict, Invalid
from hub.extensions import db, limiter
from hub.people import service as people_service
from hub.people.schemas import ProfileUpdateSchema
from hub.web import pages
from hub.web.forms import Form, load, see_other, service_errors, sign_in_required
from hub.web.i18n import gettext as _

blp = pages("account_pages", __name__)

PROFILE_FIELDS = ["name", "role", "organisation", "job_title", "region", "bio", "expertise"]
SHOWN = 50  # sessions and tokens listed; nobody has more in practice


def _refused() -> bool:
    return bool(g.get("page_refused"))


def _done_message() -> str | None:
    return {
        "profile": _("Your profile has been saved."),
        "password": _("Your password has been changed. Your other sessions have ended."),
        "session": _("That session has been signed out."),
        "token": _("The token has been revoked."),
    }.get(request.args.get("done", ""))


def _account_page(form: Form | None = None, field_order=None, status: int = 200):
    user = current_user
    profile = {
        "name": user.name,
        "role": user.role,
        "organisation": user.organisation or "",
        "job_title": user.job_title or "",
        "region": user.region or "",
        "bio": user.bio or "",
        "expertise": ", ".join(user.expertise_tags),
    }
    if form is not None and request.form.get("form") == "profile":
        profile.update(form.values)
    return (
        render_template(
            "account/account.html",
            form=form or Form(),
            field_order=field_order,
            profile=profile,
            roles=role_options(),
            browser_sessions=db.session.scalars(sessions.list_sessions(user).limit(SHOWN)).all(),
            this_session=sessions.current_id(),
            tokens=db.session.scalars(auth_service.list_tokens(user).limit(SHOWN)).all(),
            done=_done_message(),
        ),
        status,
    )


@blp.route("/account")
@sign_in_required
def account():
    return _account_page()


@blp.route("/account/profile", methods=["POST"])
@sign_in_required
def update_profile():
    data, form = load(
        ProfileUpdateSchema(),
        {"name": _("Enter your full name")},
        fields=PROFILE_FIELDS,
        keep_blank=("name", "organisation", "job_title", "region", "bio", "expertise"),
        lists=("expertise",),
    )
    if data is None:
        return _account_page(form, PROFILE_FIELDS)
    people_service.update_profile(current_user, data)
    return see_other(url_for("account_pages.account", done="profile"))


@blp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@sign_in_required
def end_session(session_id: int):
    """Sign out of one session; this one too, which is signing out."""
    this_one = session_id == sessions.current_id()
    sessions.end(current_user, session_id)
    if this_one:
        sessions.clear_cookie_with_response()
        return see_other(url_for("feed_pages.home", done="signed-out"))
    return see_other(url_for("account_pages.account", done="session"))


@blp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@sign_in_required
def revoke_token(token_id: int):
    auth_service.revoke_token(current_user, token_id)
    return see_other(url_for("account_pages.account", done="token"))


@blp.route("/account/password", methods=["POST"])
@sign_in_required
@limiter.shared_limit(
    browser.login_failure_limit,
    scope=browser.WRONG_CURRENT_PASSWORD,
    key_func=browser.signed_in_account,
    deduct_when=lambda response: _refused(),
)
def change_password():
    fields = ["current_password", "new_password"]
    data, form = load(
        PasswordChangeSchema(),
        {
            "current_password": _("Enter your current password"),
            "new_password": _("Enter a new password"),
        },
    )
    if data is None:
        return _account_page(form, fields)
    try:
        auth_service.change_password(current_user, data["current_password"], data["new_password"])
    except Invalid as refusal:
        g.page_refused = "current_password" in ((refusal.errors or {}).get("json") or {})
        return _account_page(
            service_errors(form, refusal.errors, "new_password", refusal.message), fields
        )
    return see_other(url_for("account_pages.account", done="password"))


@blp.route("/account/export")
@sign_in_required
def export_data():
    """Your data as a zip: the same archive as GET /api/v1/me/export."""
    today = utcnow()
    return Response(
        stream_with_context(export.export_archive(current_user.id, today)),
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{export.export_filename(today)}"',
            "Cache-Control": "no-store",
        },
    )


@blp.route("/account/close", methods=["POST"])
@sign_in_required
@limiter.shared_limit(
    browser.login_failure_limit,
    scope=browser.CLOSE_ACCOUNT_WRONG_PASSWORD,
    key_func=browser.closing_account,
    deduct_when=lambda response: _refused(),
)
def close_account():
    data, form = load(
        CloseAccountSchema(),
        {"password": _("Enter your password to close your account")},
    )
    if data is None:
        return _account_page(form, ["password"])
    try:
        account_service.close_account(current_user._get_current_object(), data["password"])
    except Invalid as refusal:
        g.page_refused = True
        return _account_page(
            service_errors(form, refusal.errors, "password", refusal.message), ["password"]
        )
    except Conflict as refusal:
        form.error("password", refusal.message)
        return _account_page(form, ["password"])
    sessions.clear_cookie_with_response()
    return see_other(url_for("feed_pages.home", done="closed"))
