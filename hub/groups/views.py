"""Subject groups as pages: the directory, a group with its forum and what else it holds,
and joining, leaving and handling requests to join. The twins of /api/v1/groups, through
the same services and policy: a group hidden from you is the HTML 404 page."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user
from flask_smorest.pagination import PaginationParameters
from marshmallow import ValidationError

from hub import policy
from hub.db import paginate
from hub.errors import NotFound
from hub.forum import service as forum_service
from hub.groups import access, service
from hub.groups.schemas import GroupQuerySchema
from hub.library import service as library_service
from hub.live import service as live_service
from hub.suggestions import service as suggestions_service
from hub.web import pages
from hub.web.forms import Form, see_other, sign_in_required
from hub.web.i18n import gettext as _

blp = pages("groups_pages", __name__)

DIRECTORY_PAGE_SIZE = 20
THREADS_PAGE_SIZE = 20
SHOWN = 10  # suggestions, files and live sessions listed on the group page
MEMBERS_SHOWN = 50
THREAD_FIELDS = ["title", "body"]


def page_number() -> int:
    """The `?page=` asked for: 1 when it is missing or makes no sense."""
    return max(request.args.get("page", default=1, type=int) or 1, 1)


def pages_of(page: int, total: int, size: int) -> dict:
    """What GOV.UK pagination shows: this page, the last one, and the numbers around it
    (None where numbers are left out)."""
    last = max((total + size - 1) // size, 1)
    numbers: list[int | None] = []
    for number in range(1, last + 1):
        if number in (1, last) or abs(number - page) <= 1:
            numbers.append(number)
        elif numbers and numbers[-1] is not None:
            numbers.append(None)
    return {"page": page, "last": last, "numbers": numbers}


def visibility_labels() -> dict[str, str]:
    return {
        "open": _("Open"),
        "restricted": _("Ask to join"),
        "private": _("Invitation only"),
        "hidden": _("Hidden"),
    }


def role_labels() -> dict[str, str]:
    return {"owner": _("Owner"), "moderator": _("Moderator"), "member": _("Member")}


def _done_message() -> str | None:
    done = request.args.get("done")
    if not done:
        return None
    return {
        "joined": _("You have joined this group."),
        "requested": _("Your request to join has been sent to the group's moderators."),
        "left": _("You have left the group."),
        "approved": _("The request has been approved: they are now a member."),
        "declined": _("The request has been refused."),
    }.get(done)


@blp.route("/groups")
@sign_in_required
def directory():
    """The groups you may find, by name, description or tag, or only yours."""
    raw = {
        name: request.args[name].strip()
        for name in ("q", "tag")
        if request.args.get(name, "").strip()
    }
    if request.args.get("member") == "me":
        raw["member"] = "me"
    form = Form(values=dict(raw))
    try:
        filters = GroupQuerySchema().load(raw)
    except ValidationError as error:
        for name, messages in error.messages.items():
            form.error("q" if name == "tag" else name, messages[0])
        filters = None
    groups, total = [], 0
    pagination = PaginationParameters(page=page_number(), page_size=DIRECTORY_PAGE_SIZE)
    if filters is not None:
        groups = service.directory_page(current_user, filters, pagination)
        total = pagination.item_count or 0
    return render_template(
        "groups/directory.html",
        form=form,
        field_order=["q"],
        groups=groups,
        total=total,
        pagination=pages_of(pagination.page, total, DIRECTORY_PAGE_SIZE),
        filters=raw,
        visibilities=visibility_labels(),
        roles=role_labels(),
        done=_done_message(),
    )


@blp.route("/groups/<int:group_id>")
@sign_in_required
def group(group_id: int):
    return group_page(group_id)


def group_page(group_id: int, form: Form | None = None):
    """A group: 404 when it is hidden from you, as at GET /api/v1/groups/{id}; its content
    (forum, members, suggestions, library, live sessions) when you may read it."""
    user = current_user._get_current_object()
    found, you, tags = access.visible_group_access_and_tags(user, group_id)
    readable = policy.can_read_group_content(found, you)
    content: dict = {}
    pagination = PaginationParameters(page=page_number(), page_size=THREADS_PAGE_SIZE)
    if readable:
        content = _readable_parts(user, group_id, pagination)
    requests = []
    if policy.can_handle_join_requests(found, you):
        requests = paginate(
            service.join_requests_of(user, group_id),
            PaginationParameters(page=1, page_size=MEMBERS_SHOWN),
        )
    total = pagination.item_count or 0
    return render_template(
        "groups/group.html",
        group=found,
        tags=tags,
        you=you,
        readable=readable,
        may_post=policy.can_post_in_group(user, found, you),
        join_outcome=policy.join_outcome(found, you),
        requests=requests,
        pagination=pages_of(pagination.page, total, THREADS_PAGE_SIZE),
        thread_total=total,
        form=form or Form(),
        field_order=THREAD_FIELDS,
        visibilities=visibility_labels(),
        roles=role_labels(),
        done=_done_message(),
        **content,
    )


def readable_group(group_id: int):
    """The group and your access, for a page of its content (library, suggestions): the
    HTML 404 where you may not read it, as for its threads."""
    group, you = access.visible_group_and_access(current_user._get_current_object(), group_id)
    if not policy.can_read_group_content(group, you):
        raise NotFound(access.NOT_FOUND)
    return group, you


def _readable_parts(user, group_id: int, pagination: PaginationParameters) -> dict:
    """What a member reads on the group page, through the services that list each part
    (which check access once: it is kept for the request), each in a built-once statement
    of only the columns the page shows."""
    return {
        "threads": forum_service.thread_page(user, group_id, pagination),
        "members": service.first_members(user, group_id, MEMBERS_SHOWN),
        "suggestions": suggestions_service.most_voted(user, group_id, SHOWN),
        "files": library_service.recent_files(user, group_id, SHOWN),
        "live_sessions": live_service.latest_sessions(user, group_id, SHOWN),
    }


@blp.route("/groups/<int:group_id>/join", methods=["POST"])
@sign_in_required
def join(group_id: int):
    status = service.join_group(current_user, group_id)
    done = "joined" if status == "member" else "requested"
    return see_other(url_for("groups_pages.group", group_id=group_id, done=done))


@blp.route("/groups/<int:group_id>/leave", methods=["POST"])
@sign_in_required
def leave(group_id: int):
    service.leave_group(current_user, group_id)
    # A hidden group is gone from your sight once you leave it: back to the directory.
    return see_other(url_for("groups_pages.directory", done="left"))


def _back_to_requests(group_id: int, done: str):
    return see_other(url_for("groups_pages.group", group_id=group_id, done=done) + "#requests")


@blp.route("/groups/<int:group_id>/requests/<int:user_id>/approve", methods=["POST"])
@sign_in_required
def approve_request(group_id: int, user_id: int):
    service.approve_join_request(current_user, group_id, user_id)
    return _back_to_requests(group_id, "approved")


@blp.route("/groups/<int:group_id>/requests/<int:user_id>/decline", methods=["POST"])
@sign_in_required
def decline_request(group_id: int, user_id: int):
    service.decline_join_request(current_user, group_id, user_id)
    return _back_to_requests(group_id, "declined")
