from marshmallow import Schema, fields, validate

from hub.auth.schemas import PersonRefField
from hub.fields import UtcDateTime

MAX_POST_LENGTH = 50_000
NOT_BLANK = validate.Regexp(r"(?s).*\S", error="Write something other than spaces.")
TITLE = fields.Str(validate=[validate.Length(min=1, max=200), NOT_BLANK])
BODY = fields.Str(required=True, validate=[validate.Length(min=1, max=MAX_POST_LENGTH), NOT_BLANK])


class ThreadCreateSchema(Schema):
    title = fields.Str(required=True, validate=[validate.Length(min=1, max=200), NOT_BLANK])
    body = BODY


class ThreadUpdateSchema(Schema):
    title = TITLE
    pinned = fields.Bool(metadata={"description": "Moderators only."})
    locked = fields.Bool(metadata={"description": "Moderators only: no new posts but theirs."})


class PostCreateSchema(Schema):
    body = BODY
    reply_to = fields.Int(
        load_default=None,
        allow_none=True,
        metadata={"description": "The id of the post (in the same thread) this answers."},
    )


class PostUpdateSchema(Schema):
    body = BODY


class PostSchema(Schema):
    id = fields.Int()
    thread_id = fields.Int()
    group_id = fields.Int()
    author = PersonRefField()
    body = fields.Str()
    body_html = fields.Str()
    reply_to = fields.Int(attribute="reply_to_id", allow_none=True)
    created_at = UtcDateTime()
    edited_at = UtcDateTime(allow_none=True)


class ThreadSchema(Schema):
    id = fields.Int()
    group_id = fields.Int()
    title = fields.Str()
    author = PersonRefField()
    pinned = fields.Bool()
    locked = fields.Bool()
    post_count = fields.Int()
    last_post_at = UtcDateTime()
    created_at = UtcDateTime()
    subscribed = fields.Bool(metadata={"description": "Whether you follow its replies."})


class ThreadDetailSchema(ThreadSchema):
    first_post = fields.Nested(PostSchema, allow_none=True)


class SubscriptionSchema(Schema):
    subscribed = fields.Bool()
