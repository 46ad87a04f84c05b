from marshmallow import Schema, fields, validate

from hub.fields import Boolean, Integer, UtcDateTime, is_set


class NotificationSchema(Schema):
    id = Integer()
    kind = fields.Str()
    group_id = Integer(allow_none=True)
    data = fields.Dict()
    created_at = UtcDateTime()
    read = is_set("read_at")


class NotificationQuerySchema(Schema):
    unread = Boolean(load_default=False, strict=False)


class MarkReadSchema(Schema):
    class Meta:
        # Either a list of ids or `all: true`: what the view refuses without either.
        openapi = {
            "anyOf": [
                {"required": ["ids"], "properties": {"ids": {"type": "array"}}},
                {"required": ["all"], "properties": {"all": {"enum": [True]}}},
            ]
        }

    ids = fields.List(
        Integer(minimum=1),
        validate=validate.Length(max=500),
        load_default=None,
    )
    all = Boolean(load_default=False)


class UnreadCountSchema(Schema):
    unread = Integer()


class NotificationSettingsSchema(Schema):
    notification_email = fields.Str(
        required=True,
        validate=validate.OneOf(("off", "immediate", "daily")),
        metadata={
            "description": "Email for notifications: `off`, `immediate` (one mail each) or "
            "`daily` (one digest a day of what is still unread)."
        },
    )
