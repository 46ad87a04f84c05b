import flask_smorest.fields
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from hub.auth.schemas import PersonRefField
from hub.fields import Boolean, Integer, UtcDateTime
from hub.groups.schemas import TAG
from hub.library.filetypes import ACCEPTED

MAX_TAGS = 20


class MultipartParser(FlaskParser):
    """The `files` location reads a whole multipart body: its file and its text fields."""

    def load_files(self, req, schema):
        return MultiDictProxy(
            CombinedMultiDict([req.files, req.form]),
            schema,
            known_multi_fields=tuple(self.KNOWN_MULTI_FIELDS),
        )


class CommaSeparatedTags(fields.Field):
    """`tags` in a form: one string, comma-separated; loaded as a list."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError(_("Send tags as one comma-separated string."))
        tags = [t.strip() for t in value.split(",") if t.strip()]
        if len(tags) > MAX_TAGS:
            raise ValidationError(_("At most %(max)s tags.", max=MAX_TAGS))
        for tag in tags:
            TAG.deserialize(tag)
        return tags


class Upload(flask_smorest.fields.Upload):
    """A file in a multipart body (documented as binary)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not hasattr(value, "stream") or not hasattr(value, "filename"):
            raise ValidationError(_("Send the file as a multipart/form-data part named 'file'."))
        return value


FILE = Upload(required=True, metadata={"description": f"The document. Accepted: {ACCEPTED}."})
TITLE = fields.Str(validate=validate.Length(min=1, max=200))
DESCRIPTION = fields.Str(
    validate=validate.Length(max=10_000), metadata={"description": "Markdown."}
)


class FolderCreateSchema(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    parent_id = Integer(load_default=None, allow_none=True)


class FolderSchema(Schema):
    id = Integer()
    group_id = Integer()
    parent_id = Integer(allow_none=True)
    name = fields.Str()
    created_at = UtcDateTime()


class FileUploadSchema(Schema):
    file = FILE
    title = TITLE
    description = DESCRIPTION
    tags = CommaSeparatedTags(
        load_default=list, metadata={"type": "string", "description": "Comma-separated."}
    )
    folder_id = Integer(load_default=None, strict=False)  # a form field is text


class VersionUploadSchema(Schema):
    file = FILE


class FileQuerySchema(Schema):
    folder_id = Integer(strict=False, metadata={"description": "Only the files in this folder."})
    tag = fields.Str(validate=validate.Length(max=60))


class DownloadQuerySchema(Schema):
    version = Integer(
        minimum=1, strict=False, metadata={"description": "An older version's number."}
    )


class FileUpdateSchema(Schema):
    title = TITLE
    description = DESCRIPTION
    tags = fields.List(TAG, validate=validate.Length(max=MAX_TAGS))
    folder_id = Integer(allow_none=True, metadata={"description": "null: the top level."})


class FileSchema(Schema):
    id = Integer()
    group_id = Integer()
    folder_id = Integer(allow_none=True)
    title = fields.Str()
    description = fields.Str()
    description_html = fields.Str()
    filename = fields.Str(attribute="current_version.filename")
    content_type = fields.Str(
        attribute="current_version.content_type",
        metadata={"description": "Decided from the file's bytes."},
    )
    size = Integer(attribute="current_version.size", metadata={"description": "Bytes."})
    version = Integer(metadata={"description": "The newest version's number, from 1."})
    tags = fields.List(fields.Str(), attribute="tag_names")
    text_extracted = Boolean(attribute="current_version.text_extracted")
    text_extraction_error = fields.Str(
        attribute="current_version.text_extraction_error",
        allow_none=True,
        metadata={"description": "Why no text could be read, when text_extracted is false."},
    )
    uploaded_by = PersonRefField()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class VersionSchema(Schema):
    id = Integer()
    version = Integer(attribute="number")
    filename = fields.Str()
    content_type = fields.Str()
    size = Integer()
    text_extracted = Boolean()
    text_extraction_error = fields.Str(allow_none=True)
    uploaded_by = PersonRefField()
    created_at = UtcDateTime()
