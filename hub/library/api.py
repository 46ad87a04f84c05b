"""Library API: a group's folders and files, their versions, and downloads.

Uploads are `multipart/form-data`. The size limit (HUB_MAX_UPLOAD_MB) is checked from
Content-Length before the body is read, and again while it is streamed to storage.
"""

from flask import Response, request, send_file
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from hub.blueprint import Blueprint
from hub.db import paginate
from hub.errors import abort, handle_http_exception
from hub.library import filetypes, service, storage
from hub.library.schemas import (
    DownloadQuerySchema,
    FileQuerySchema,
    FileSchema,
    FileUpdateSchema,
    FileUploadSchema,
    FolderCreateSchema,
    FolderSchema,
    MultipartParser,
    VersionSchema,
    VersionUploadSchema,
)

blp = Blueprint("library", __name__, url_prefix="/api/v1", description="Group libraries")
blp.ARGUMENTS_PARSER = MultipartParser()

UPLOAD_ENDPOINTS = frozenset({"library.upload_file", "library.add_version"})
# Room for the multipart framing and the text fields around the file itself.
FORM_OVERHEAD = 256 * 1024
DOWNLOAD_RESPONSE = {
    "description": "The file's bytes, as an attachment, with its kind's content type.",
    "content": {
        kind.content_type: {"schema": {"type": "string", "format": "binary"}}
        for kind in filetypes.KINDS.values()
    },
}


@blp.before_request
def limit_upload_size() -> None:
    """413 at once when Content-Length says the upload is too large; cap what is read."""
    if request.endpoint not in UPLOAD_ENDPOINTS:
        return
    limit = storage.max_upload_bytes() + FORM_OVERHEAD
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        abort(413, service.too_large_message())


@blp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    error.data = {"message": service.too_large_message()}
    return handle_http_exception(error)


# --- Folders -------------------------------------------------------------------------


@blp.route("/groups/<int:group_id>/library/folders", methods=["GET"])
@blp.response(200, FolderSchema(many=True))
@blp.paginate()
def list_folders(group_id, pagination_parameters):
    """The group's folders, by name; `parent_id` null for the top level."""
    return paginate(service.folders_of(current_user, group_id), pagination_parameters)


@blp.route("/groups/<int:group_id>/library/folders", methods=["POST"])
@blp.arguments(FolderCreateSchema, location="json")
@blp.response(201, FolderSchema)
def create_folder(data, group_id):
    """Make a folder (members who may post); 409 if its parent has one of that name."""
    return service.create_folder(current_user, group_id, data["name"], data["parent_id"])


# --- Files ---------------------------------------------------------------------------


@blp.route("/groups/<int:group_id>/library/files", methods=["GET"])
@blp.arguments(FileQuerySchema, location="query")
@blp.response(200, FileSchema(many=True))
@blp.paginate()
def list_files(filters, group_id, pagination_parameters):
    """The group's library, the most recently changed first."""
    return paginate(service.files_of(current_user, group_id, filters), pagination_parameters)


@blp.route("/groups/<int:group_id>/library/files", methods=["POST"])
@blp.arguments(FileUploadSchema, location="files")
@blp.response(201, FileSchema)
def upload_file(data, group_id):
    """Upload a file (members who may post): multipart `file`, `title?`, `description?`,
    `tags?` (comma-separated), `folder_id?`.

    The type is decided from the bytes: 415 for a type not accepted or bytes that do not
    match the name, 413 over HUB_MAX_UPLOAD_MB, 422 for an empty, damaged or dangerous
    file. Its text is read at once; `text_extracted` says whether that worked and
    `text_extraction_error` why not.
    """
    return service.upload_file(current_user, group_id, data.pop("file"), data)


@blp.route("/library/files/<int:file_id>", methods=["GET"])
@blp.response(200, FileSchema)
def get_file(file_id):
    """A file's metadata and its newest version."""
    return service.get_file(current_user, file_id)


@blp.route("/library/files/<int:file_id>", methods=["PATCH"])
@blp.arguments(FileUpdateSchema, location="json")
@blp.response(200, FileSchema)
def update_file(changes, file_id):
    """Change title, description, tags or folder: the uploader or the group's moderators."""
    return service.update_file(current_user, file_id, changes)


@blp.route("/library/files/<int:file_id>", methods=["DELETE"])
@blp.response(204)
def delete_file(file_id):
    """Delete a file and all its versions: the uploader or the group's moderators."""
    service.delete_file(current_user, file_id)


@blp.route("/library/files/<int:file_id>/download", methods=["GET"])
@blp.arguments(DownloadQuerySchema, location="query")
@blp.response(200, description=DOWNLOAD_RESPONSE["description"])
@blp.doc(responses={"200": DOWNLOAD_RESPONSE})
def download_file(query, file_id) -> Response:
    """The file's bytes (`?version=` for an older one), always as an attachment."""
    found = service.download(current_user, file_id, query.get("version"))
    response = send_file(
        found.path,
        mimetype=found.content_type,
        as_attachment=True,
        download_name=found.filename,
        conditional=True,
        etag=found.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were talked into rendering it, it runs nothing and loads nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# --- Versions ------------------------------------------------------------------------


@blp.route("/library/files/<int:file_id>/versions", methods=["GET"])
@blp.response(200, VersionSchema(many=True))
@blp.paginate()
def list_versions(file_id, pagination_parameters):
    """A file's versions, the newest first."""
    return paginate(service.versions_of(current_user, file_id), pagination_parameters)


@blp.route("/library/files/<int:file_id>/versions", methods=["POST"])
@blp.arguments(VersionUploadSchema, location="files")
@blp.response(201, FileSchema)
def add_version(data, file_id):
    """Upload a new version (multipart `file`): the uploader or the group's moderators.

    Returns the file with its new `version`; the same checks as an upload apply.
    """
    return service.add_version(current_user, file_id, data["file"])
