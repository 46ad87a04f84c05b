"""What the audit log API gives."""

from marshmallow import Schema, fields

from hub.auth.schemas import PersonRefSchema
from hub.fields import Integer, UtcDateTime


class AuditEntrySchema(Schema):
    id = Integer()
    at = UtcDateTime()
    actor = fields.Nested(
        PersonRefSchema,
        metadata={"description": '`{"id": null, "name": "Former member"}` once erased.'},
    )
    action = fields.Str(metadata={"description": "Dotted, e.g. `member.banned`, `post.deleted`."})
    target_type = fields.Str()
    target_id = Integer(allow_none=True)
    group_id = Integer(allow_none=True)
    detail = fields.Dict(
        metadata={"description": "Ids, roles and statuses; never what people wrote."}
    )
