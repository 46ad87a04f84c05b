"""Notifications API: your list, your unread count, marking read."""

from flask_babel import gettext as _
from flask_login import current_user

from hub.blueprint import Blueprint
from hub.errors import abort
from hub.notifications import service
from hub.notifications.schemas import (
    MarkReadSchema,
    NotificationQuerySchema,
    NotificationSchema,
    NotificationSettingsSchema,
    UnreadCountSchema,
)

blp = Blueprint("notifications", __name__, url_prefix="/api/v1", description="Notifications")


@blp.route("/notifications", methods=["GET"])
@blp.arguments(NotificationQuerySchema, location="query")
@blp.response(200, NotificationSchema(many=True))
@blp.paginate()
def list_notifications(query, pagination_parameters):
    """Your notifications, newest first."""
    return service.notification_page(current_user, query["unread"], pagination_parameters)


@blp.route("/notifications/unread-count", methods=["GET"])
@blp.response(200, UnreadCountSchema)
def unread_count():
    """How many of your notifications are unread."""
    return {"unread": service.unread_count(current_user)}


@blp.route("/notifications/read", methods=["POST"])
@blp.arguments(MarkReadSchema)
@blp.response(200, UnreadCountSchema)
def mark_read(data):
    """Mark some (`ids`) or all (`all: true`) of your notifications read."""
    if data["ids"] is None and not data["all"]:
        abort(
            422,
            _("Say which notifications to mark read: 'ids', or 'all': true."),
            errors={"json": {"ids": [_("Give a list of ids, or set 'all' to true.")]}},
        )
    return {"unread": service.mark_read(current_user, data["ids"], data["all"])}


@blp.route("/me/notification-settings", methods=["GET"])
@blp.response(200, NotificationSettingsSchema)
def get_notification_settings():
    """How you hear by email: `off`, `immediate` (the default) or a `daily` digest."""
    return {"notification_email": service.email_preference(current_user)}


@blp.route("/me/notification-settings", methods=["PATCH"])
@blp.arguments(NotificationSettingsSchema)
@blp.response(200, NotificationSettingsSchema)
def update_notification_settings(data):
    """Choose how you hear by email.

    `immediate` mails each notification as it happens; `daily` mails one digest a day of
    what is still unread (sent by `flask hub digest`); `off` sends no notification mail.
    """
    return {
        "notification_email": service.set_email_preference(current_user, data["notification_email"])
    }
