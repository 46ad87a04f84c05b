from marshmallow import Schema, fields, validate

from hub.auth.schemas import PersonRefField
from hub.fields import Boolean, Integer, UtcDateTime

MAX_MESSAGE_LENGTH = 10_000
PERSON_ID = Integer(minimum=1)
TEXT = fields.Str(required=True, validate=validate.Length(min=1, max=MAX_MESSAGE_LENGTH))


class MessageCreateSchema(Schema):
    text = TEXT


class ConversationCreateSchema(Schema):
    class Meta:
        openapi = {
            "example": {"participant_ids": [8], "text": "Could we compare enforcement notices?"}
        }

    participant_ids = fields.List(PERSON_ID, required=True, validate=validate.Length(min=1, max=49))
    text = TEXT


class MessageSchema(Schema):
    id = Integer()
    conversation_id = Integer()
    author = PersonRefField(attribute="sender")
    body = fields.Str()
    body_html = fields.Str()
    created_at = UtcDateTime()


class ConversationSchema(Schema):
    id = Integer()
    participants = fields.Raw(dump_only=True)  # [{id, name}], as the service gives them
    last_message_at = UtcDateTime()
    created_at = UtcDateTime()
    unread = Boolean(metadata={"description": "Messages arrived since you last read it."})
