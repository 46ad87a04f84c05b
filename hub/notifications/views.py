"""Notifications as pages: your list with marking read, and how you hear by email. The
twins of GET /api/v1/notifications, POST /api/v1/notifications/read and
/api/v1/me/notification-settings, through the same service and schemas."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user
from flask_smorest.pagination import PaginationParameters
from marshmallow import ValidationError

from hub.errors import Invalid
from hub.groups.views import page_number, pages_of
from hub.notifications import service
from hub.notifications.schemas import MarkReadSchema, NotificationSettingsSchema
from hub.web import pages
from hub.web.forms import Form, load, see_other, sign_in_required, typed
from hub.web.i18n import gettext as _

blp = pages("notifications_pages", __name__)

PAGE_SIZE = 20


def email_choices() -> list[tuple[str, str]]:
    return [
        ("immediate", _("Email me about each one as it happens")),
        ("daily", _("Email me a daily summary of what I have not read")),
        ("off", _("Do not email me")),
    ]


@blp.route("/notifications")
@sign_in_required
def notifications():
    return notifications_page()


def notifications_page(form: Form | None = None):
    """Your notifications, newest first, each with what it is about and a link to it."""
    user = current_user._get_current_object()
    pagination = PaginationParameters(page=page_number(), page_size=PAGE_SIZE)
    rows = service.notification_page(user, False, pagination)
    total = pagination.item_count or 0
    items = [
        {
            **row,
            "text": service.describe(row["kind"], row["data"]),
            "path": service.page_path(row["kind"], row["data"], row["group_id"]),
        }
        for row in rows
    ]
    return render_template(
        "notifications/notifications.html",
        notifications=items,
        pagination=pages_of(pagination.page, total, PAGE_SIZE),
        form=form or Form(values={"notification_email": service.email_preference(user)}),
        field_order=["notification_email"],
        choices=email_choices(),
        done={"read": _("Marked as read."), "settings": _("Your email settings are saved.")}.get(
            request.args.get("done", "")
        ),
    )


@blp.route("/notifications/read", methods=["POST"])
@sign_in_required
def mark_read():
    """Mark one (`ids`) or all (`all`) read, as POST /api/v1/notifications/read."""
    schema = MarkReadSchema()
    raw = {"ids": request.form.getlist("ids") or None, "all": request.form.get("all", "false")}
    try:
        data = schema.load(typed(schema, raw))
    except ValidationError as error:
        raise Invalid(
            _("Choose which notifications to mark as read."), errors=error.messages
        ) from None
    if data["ids"] is None and not data["all"]:
        raise Invalid(_("Choose which notifications to mark as read."))
    service.mark_read(current_user, data["ids"], data["all"])
    return see_other(url_for("notifications_pages.notifications", done="read"))


@blp.route("/notifications/settings", methods=["POST"])
@sign_in_required
def settings():
    data, form = load(
        NotificationSettingsSchema(),
        {"notification_email": _("Choose how we email you about notifications")},
    )
    if data is None:
        return notifications_page(form)
    service.set_email_preference(current_user, data["notification_email"])
    return see_other(url_for("notifications_pages.notifications", done="settings") + "#settings")
