from marshmallow import Schema, fields, validate

from hub.auth.schemas import PersonRefField
from hub.fields import NOT_BLANK, Boolean, Integer, UtcDateTime

MAX_POST_LENGTH = 50_000
TITLE = fields.Str(validate=[validate.Length(min=1, max=200), NOT_BLANK])
BODY = fields.Str(required=True, validate=[validate.Length(min=1, max=MAX_POST_LENGTH), NOT_BLANK])


class ThreadCreateSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "title": "Who surveys after a complaint?",
                "body": "Do your officers visit within **14 days**? @james.whitfield",
            }
        }

    title = fields.Str(required=True, validate=[validate.Length(min=1, max=200), NOT_BLANK])
    body = BODY


class ThreadUpdateSchema(Schema):
    title = TITLE
    pinned = Boolean(metadata={"description": "Moderators only."})
    locked = Boolean(metadata={"description": "Moderators only: no new posts but theirs."})


class PostCreateSchema(Schema):
    class Meta:
        openapi = {"example": {"body": "We aim for 10 working days, with a photo log."}}

    body = BODY
    reply_to = Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "The id of the post (in the same thread) this answers."},
    )


class PostUpdateSchema(Schema):
    body = BODY


class PostSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "id": 301,
                "thread_id": 44,
                "group_id": 12,
                "author": {"id": 7, "name": "Amira Khan"},
                "body": "We aim for 10 working days, with a photo log.",
                "body_html": "<p>We aim for 10 working days, with a photo log.</p>\n",
                "reply_to": None,
                "created_at": "2026-12-01T11:05:00Z",
                "edited_at": None,
            }
        }

    id = Integer()
    thread_id = Integer()
    group_id = Integer()
    author = PersonRefField()
    body = fields.Str()
    body_html = fields.Str()
    reply_to = Integer(attribute="reply_to_id", allow_none=True)
    created_at = UtcDateTime()
    edited_at = UtcDateTime(allow_none=True)


class ThreadSchema(Schema):
    id = Integer()
    group_id = Integer()
    title = fields.Str()
    author = PersonRefField()
    pinned = Boolean()
    locked = Boolean()
    post_count = Integer()
    last_post_at = UtcDateTime()
    created_at = UtcDateTime()
    subscribed = Boolean(metadata={"description": "Whether you follow its replies."})


class ThreadDetailSchema(ThreadSchema):
    first_post = fields.Nested(PostSchema, allow_none=True)


class SubscriptionSchema(Schema):
    subscribed = Boolean()
