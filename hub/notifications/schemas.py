from marshmallow import Schema, fields, validate

from hub.fields import UtcDateTime, is_set


class NotificationSchema(Schema):
    id = fields.Int()
    kind = fields.Str()
    group_id = fields.Int(allow_none=True)
    data = fields.Dict()
    created_at = UtcDateTime()
    read = is_set("read_at")


class NotificationQuerySchema(Schema):
    unread = fields.Bool(load_default=False)


class MarkReadSchema(Schema):
    # Ids are 32-bit integers in the database; a larger number would fail there, not here.
    ids = fields.List(
        fields.Int(validate=validate.Range(min=1, max=2**31 - 1)),
        validate=validate.Length(max=500),
        load_default=None,
    )
    all = fields.Bool(load_default=False)


class UnreadCountSchema(Schema):
    unread = fields.Int()


class NotificationSettingsSchema(Schema):
    notification_email = fields.Str(
        required=True,
        validate=validate.OneOf(("off", "immediate", "daily")),
        metadata={
            "description": "Email for notifications: `off`, `immediate` (one mail each) or "
            "`daily` (one digest a day of what is still unread)."
        },
    )
