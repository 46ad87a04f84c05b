from marshmallow import Schema, fields

from hub.auth.schemas import PersonRefField
from hub.fields import Integer, UtcDateTime


class GroupRefSchema(Schema):
    id = Integer()
    name = fields.Str()


class ThreadRefSchema(Schema):
    id = Integer()
    title = fields.Str()


class FeedItemSchema(Schema):
    type = fields.Str(
        metadata={
            "description": "`thread` (a new thread), `post` (a reply), `file` (a library "
            "file) or `session` (a live session)."
        }
    )
    id = Integer(metadata={"description": "The id of the thread, post, file or session."})
    title = fields.Str()
    body = fields.Str()
    body_html = fields.Str()
    author = PersonRefField()
    group = fields.Nested(GroupRefSchema)
    thread = fields.Nested(ThreadRefSchema, allow_none=True)
    url = fields.Str(metadata={"description": "Where the API serves it."})
    created_at = UtcDateTime()
