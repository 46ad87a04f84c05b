"""Audit log API: read only, for a group's owners and moderators and for site admins."""

from flask_login import current_user

from hub.audit import service
from hub.audit.schemas import AuditEntrySchema
from hub.blueprint import Blueprint

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Audit log")


@blp.route("/groups/<int:group_id>/audit", methods=["GET"])
@blp.response(200, AuditEntrySchema(many=True))
@blp.paginate()
def group_audit(group_id, pagination_parameters):
    """What the group's moderators and site admins did in it, newest first."""
    return service.group_log_page(current_user, group_id, pagination_parameters)


@blp.route("/admin/audit", methods=["GET"])
@blp.response(200, AuditEntrySchema(many=True))
@blp.paginate()
def site_audit(pagination_parameters):
    """Every moderation and administration action, newest first (site admins)."""
    return service.site_log_page(current_user, pagination_parameters)
