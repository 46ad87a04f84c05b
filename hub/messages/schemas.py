from marshmallow import Schema, fields, validate

from hub.auth.schemas import PersonRefField
from hub.fields import UtcDateTime

MAX_MESSAGE_LENGTH = 10_000
# Ids are 32-bit integers in the database; a larger number would fail there, not here.
PERSON_ID = fields.Int(
    strict=True,
    validate=validate.Range(min=1, max=2**31 - 1, error="There is no person with this id."),
)
TEXT = fields.Str(required=True, validate=validate.Length(min=1, max=MAX_MESSAGE_LENGTH))


class MessageCreateSchema(Schema):
    text = TEXT


class ConversationCreateSchema(Schema):
    participant_ids = fields.List(PERSON_ID, required=True, validate=validate.Length(min=1, max=49))
    text = TEXT


class MessageSchema(Schema):
    id = fields.Int()
    conversation_id = fields.Int()
    author = PersonRefField(attribute="sender")
    body = fields.Str()
    body_html = fields.Str()
    created_at = UtcDateTime()


class ConversationSchema(Schema):
    id = fields.Int()
    participants = fields.Raw(dump_only=True)  # [{id, name}], as the service gives them
    last_message_at = UtcDateTime()
    created_at = UtcDateTime()
    unread = fields.Bool(metadata={"description": "Messages arrived since you last read it."})
