from marshmallow import Schema, fields, validate

from hub.auth.passwords import MAX_LENGTH


class CloseAccountSchema(Schema):
    password = fields.Str(
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=MAX_LENGTH),
        metadata={"description": "Your current password, to confirm that it is you."},
    )
