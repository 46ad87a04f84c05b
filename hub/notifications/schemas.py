from marshmallow import Schema, fields, validate

from hub.fields import UtcDateTime


class NotificationSchema(Schema):
    id = fields.Int()
    kind = fields.Str()
    group_id = fields.Int(allow_none=True)
    data = fields.Dict()
    created_at = UtcDateTime()
    read = fields.Function(lambda n: n.read_at is not None)


class NotificationQuerySchema(Schema):
    unread = fields.Bool(load_default=False)


class MarkReadSchema(Schema):
    ids = fields.List(fields.Int(), validate=validate.Length(max=500), load_default=None)
    all = fields.Bool(load_default=False)


class UnreadCountSchema(Schema):
    unread = fields.Int()
