"""Pages for signing in and out, registering and resetting a password: the twins of the
accounts API, through the same services, schemas and rate limits."""

from __future__ import annotations

from flask import g, render_template, request, url_for
from flask_login import current_user

from hub.auth import browser, service, sessions
from hub.auth.models import ROLES
from hub.auth.passwords import password_problem
from hub.auth.schemas import (
    LoginSchema,
    PasswordResetConfirmSchema,
    PasswordResetRequestSchema,
    RegisterSchema,
    VerifyEmailSchema,
)
from hub.errors import Conflict, Invalid, Unauthorized
from hub.extensions import limiter
from hub.web import pages
from hub.web.forms import Form, load, safe_next, see_other, service_errors
from hub.web.i18n import gettext as _

blp = pages("auth_pages", __name__)

SIGN_IN_FIELDS = ["email", "password"]
REGISTER_FIELDS = ["name", "email", "password", "role", "organisation", "job_title"]


def _failed() -> bool:
    return bool(g.get("page_refused"))


def role_options() -> list[tuple[str, str]]:
    labels = {"councillor": _("Councillor"), "officer": _("Officer"), "other": _("Other")}
    return [(role, labels[role]) for role in ROLES]


@blp.route("/sign-in", methods=["GET", "POST"])
@limiter.shared_limit(
    browser.login_failure_limit,
    scope=browser.SIGN_IN_FAILURES,
    methods=["POST"],
    deduct_when=lambda response: _failed(),
)
@limiter.shared_limit(
    browser.login_failure_limit,
    scope=browser.SIGN_IN_FAILURES_BY_ACCOUNT,
    key_func=browser.account_from_address,
    methods=["POST"],
    deduct_when=lambda response: _failed(),
)
def sign_in():
    next_page = safe_next(request.values.get("next"))
    form = Form()
    if request.method == "POST":
        data, form = load(
            LoginSchema(),
            {
                "email": _("Enter your email address"),
                "password": _("Enter your password"),
            },
        )
        if data is not None:
            try:
                user = service.authenticate(data["email"], data["password"])
            except Unauthorized as refusal:
                g.page_refused = True
                form.error("email", refusal.message)
            else:
                browser.start_browser_session(user)
                return see_other(next_page)
    done = (
        _("Your password has been changed. Sign in with it.")
        if request.args.get("done") == "password-reset"
        else None
    )
    return render_template(
        "auth/sign_in.html",
        form=form,
        field_order=SIGN_IN_FIELDS,
        next_page=next_page if next_page != "/" else None,
        done=done,
    )


@blp.route("/register", methods=["GET", "POST"])
@limiter.shared_limit(browser.register_limit, scope=browser.REGISTRATIONS, methods=["POST"])
def register():
    form = Form()
    if request.method == "POST":
        data, form = load(
            RegisterSchema(),
            {
                "name": _("Enter your full name"),
                "email": _("Enter your email address"),
                "password": _("Enter a password"),
                "role": _("Select whether you are a councillor, an officer or other"),
            },
        )
        if data is None and "password" not in form.errors:
            # The schema checks the password only once every field is valid: say all at once.
            problem = password_problem(
                request.form.get("password", ""),
                request.form.get("email", ""),
                request.form.get("name", ""),
            )
            if problem and request.form.get("password"):
                form.error("password", problem)
        if data is not None:
            try:
                user = service.register(data)
            except Conflict as refusal:
                form.error("email", refusal.message)
            else:
                browser.start_browser_session(user)
                return see_other(url_for("feed_pages.home", done="registered"))
    return render_template(
        "auth/register.html", form=form, field_order=REGISTER_FIELDS, roles=role_options()
    )


@blp.route("/sign-out", methods=["POST"])
def sign_out():
    if current_user.is_authenticated and sessions.current_id() is not None:
        service.sign_out(current_user)
        sessions.clear_cookie_with_response()
    return see_other(url_for("feed_pages.home", done="signed-out"))


@blp.route("/password-reset", methods=["GET", "POST"])
@limiter.shared_limit(browser.password_reset_limit, scope=browser.PASSWORD_RESETS, methods=["POST"])
@limiter.shared_limit(
    browser.password_reset_limit,
    scope=browser.PASSWORD_RESETS_BY_EMAIL,
    key_func=browser.reset_email,
    methods=["POST"],
)
def password_reset():
    """Ask for a link to choose a new password."""
    form = Form()
    if request.method == "POST":
        data, form = load(PasswordResetRequestSchema(), {"email": _("Enter your email address")})
        if data is not None:
            service.request_password_reset(data["email"])
            return see_other(url_for("auth_pages.password_reset", sent="1"))
    return render_template(
        "auth/password_reset.html",
        form=form,
        field_order=["email"],
        sent=request.args.get("sent") == "1",
        accepted=_(
            "If an account uses this address, we have emailed it a link to choose a new "
            "password. The link works once, within an hour."
        ),
    )


@blp.route("/password-reset/new", methods=["GET", "POST"])
def choose_new_password():
    """From the emailed link (`?token=`): choose a new password."""
    token = request.values.get("token", "")
    form = Form()
    if request.method == "POST":
        data, form = load(
            PasswordResetConfirmSchema(),
            {"password": _("Enter a new password")},
            fields=["token", "password"],
        )
        if data is not None:
            try:
                service.confirm_password_reset(data["token"], data["password"])
            except Invalid as refusal:
                service_errors(form, refusal.errors, "password", refusal.message)
                if "token" in form.errors:
                    form.errors = {"password": refusal.message}
            else:
                return see_other(url_for("auth_pages.sign_in", done="password-reset"))
        elif "token" in form.errors:
            # The token is no field a person sees: say what to do beside the password.
            form.errors = {"password": _("This link is not complete. Ask for a new one.")}
    return render_template(
        "auth/password_reset_choose.html", form=form, field_order=["password"], token=token
    )


@blp.route("/verify-email", methods=["GET", "POST"])
def verify_email():
    """From the emailed link (`?token=`): confirm the address with a button (a link
    opened by a mail scanner changes nothing)."""
    token = request.values.get("token", "")
    form = Form()
    if request.method == "POST":
        data, form = load(VerifyEmailSchema(), {"token": _("This link is not complete.")})
        if data is not None:
            try:
                service.verify_email(data["token"])
            except Invalid as refusal:
                form.error("token", refusal.message)
            else:
                return see_other(url_for("feed_pages.home", done="email-confirmed"))
        # The token is no field a person sees: the error points at the button.
        form.errors = {"confirm": form.errors["token"]}
    return render_template(
        "auth/verify_email.html", form=form, field_order=["confirm"], token=token
    )
