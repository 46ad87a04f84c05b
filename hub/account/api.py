"""Closing your account and exporting your data: always your own (there is no way to
name anyone else's account here)."""

from flask import Response, stream_with_context
from flask_login import current_user

from hub.account import export, service
from hub.account.schemas import CloseAccountSchema
from hub.auth import browser, sessions
from hub.blueprint import Blueprint
from hub.db import utcnow
from hub.extensions import limiter

blp = Blueprint("account", __name__, url_prefix="/api/v1", description="Your account")

EXPORT_RESPONSE = {
    "description": "A zip: JSON files of your data, the files you uploaded, and a README.txt.",
    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
}


def _refused(response) -> bool:
    return response.status_code == 422


@blp.route("/me", methods=["DELETE"])
# Wrong passwords count as failed sign-ins do: a stolen token cannot guess its way in.
@limiter.shared_limit(
    browser.login_failure_limit,
    scope=browser.CLOSE_ACCOUNT_WRONG_PASSWORD,
    key_func=browser.closing_account,
    deduct_when=_refused,
)
@blp.arguments(CloseAccountSchema)
@blp.response(204)
@blp.alt_response(409, description="You are the last owner of a group: hand it over first.")
def close_account(data):
    """Close your account now: your profile, connections, tokens, sessions, notifications,
    blocks and memberships are erased; what you wrote in groups stays, shown as by
    "Former member"; the address may register again. 422 for a wrong password."""
    service.close_account(current_user._get_current_object(), data["password"])
    sessions.clear_cookie_with_response()


@blp.route("/me/export", methods=["GET"])
@blp.response(200, description=EXPORT_RESPONSE["description"])
@blp.doc(responses={"200": EXPORT_RESPONSE})
def export_data():
    """Your data as a zip, streamed as it is made."""
    today = utcnow()
    archive = export.export_archive(current_user.id, today)
    return Response(
        stream_with_context(archive),
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{export.export_filename(today)}"',
            "Cache-Control": "no-store",
        },
    )
