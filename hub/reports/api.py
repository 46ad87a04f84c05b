"""Reports API: report what you may read; moderators and site admins close reports."""

from flask_login import current_user

from hub.blueprint import Blueprint
from hub.db import paginate
from hub.reports import service
from hub.reports.schemas import (
    ReportCloseSchema,
    ReportCreateSchema,
    ReportQuerySchema,
    ReportSchema,
)

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Reports")


@blp.route("/reports", methods=["POST"])
@blp.arguments(ReportCreateSchema)
@blp.response(201, ReportSchema)
def create_report(data):
    """Report something you may read; 404 for what you may not, 409 if your report of it is
    still open."""
    return service.create_report(current_user, data)


@blp.route("/groups/<int:group_id>/reports", methods=["GET"])
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, ReportSchema(many=True))
@blp.paginate()
def group_reports(query, group_id, pagination_parameters):
    """Reports about the group's content, newest first (owners and moderators)."""
    statement = service.group_reports(current_user, group_id, query.get("status"))
    return paginate(statement, pagination_parameters)


@blp.route("/admin/reports", methods=["GET"])
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, ReportSchema(many=True))
@blp.paginate()
def all_reports(query, pagination_parameters):
    """Every report, about people and messages too, newest first (site admins)."""
    return paginate(service.all_reports(current_user, query.get("status")), pagination_parameters)


@blp.route("/reports/<int:report_id>", methods=["PATCH"])
@blp.arguments(ReportCloseSchema)
@blp.response(200, ReportSchema)
def close_report(data, report_id):
    """Resolve or dismiss a report (whoever may see it); 409 if it is closed already."""
    return service.close_report(current_user, report_id, data["status"], data["note"])
