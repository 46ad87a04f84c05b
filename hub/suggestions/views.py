"""Suggestions as pages: a group's ideas with their votes, the most voted or the newest
first; suggesting, voting and withdrawing a vote (a form button each), and moving a
suggestion along for moderators. The twins of /api/v1/groups/{id}/suggestions and
/api/v1/suggestions, through the same service: suggestions you may not read are the HTML
404 page, for a GET and a POST alike."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user
from flask_smorest.pagination import PaginationParameters

from hub import policy
from hub.db import paginate
from hub.groups.views import page_number, pages_of, readable_group
from hub.suggestions import service
from hub.suggestions.schemas import SuggestionCreateSchema, SuggestionStatusSchema
from hub.web import pages
from hub.web.errors import unreadable_is_not_found
from hub.web.forms import Form, load, see_other, sign_in_required
from hub.web.i18n import gettext as _

blp = pages("suggestions_pages", __name__)

PAGE_SIZE = 20
SORTS = ("votes", "new")


def status_labels() -> dict[str, str]:
    return {
        "open": _("Open"),
        "under_review": _("Under review"),
        "accepted": _("Accepted"),
        "declined": _("Declined"),
        "implemented": _("Implemented"),
    }


def _done_message() -> str | None:
    return {
        "posted": _("Your suggestion has been posted."),
        "voted": _("Your vote has been counted."),
        "unvoted": _("Your vote has been withdrawn."),
        "status": _("The suggestion's status has been changed."),
    }.get(request.args.get("done", ""))


def _sort() -> str:
    asked = request.values.get("sort", "")
    return asked if asked in SORTS else "votes"


@blp.route("/groups/<int:group_id>/suggestions")
@sign_in_required
def suggestions(group_id: int):
    return suggestions_page(group_id)


def suggestions_page(group_id: int, form: Form | None = None):
    user = current_user._get_current_object()
    group, you = readable_group(group_id)
    sort = _sort()
    pagination = PaginationParameters(page=page_number(), page_size=PAGE_SIZE)
    rows = paginate(service.suggestions_of(user, group_id, sort), pagination, "rows")
    total = pagination.item_count or 0
    return render_template(
        "suggestions/suggestions.html",
        group=group,
        suggestions=service.with_votes(rows),
        sort=sort,
        total=total,
        pagination=pages_of(pagination.page, total, PAGE_SIZE),
        may_suggest=policy.can_make_suggestion(user, group, you),
        may_vote=policy.can_vote_on_suggestion(user, group, you),
        may_change_status=policy.can_change_suggestion_status(group, you),
        voting_statuses=policy.SUGGESTION_VOTING_STATUSES,
        transitions=policy.SUGGESTION_TRANSITIONS,
        statuses=status_labels(),
        form=form or Form(),
        field_order=["title", "body"],
        done=_done_message(),
    )


@blp.route("/groups/<int:group_id>/suggestions", methods=["POST"])
@sign_in_required
def suggest(group_id: int):
    readable_group(group_id)
    data, form = load(
        SuggestionCreateSchema(),
        {"title": _("Enter a title for your suggestion"), "body": _("Describe your suggestion")},
    )
    if data is None:
        return suggestions_page(group_id, form)
    made = service.create_suggestion(current_user, group_id, data["title"], data["body"])
    return _back(group_id, made.id, "posted", sort="new")


def _readable_suggestion(suggestion_id: int):
    with unreadable_is_not_found():
        return service.get_suggestion(current_user, suggestion_id)


def _back(group_id: int, suggestion_id: int, done: str, sort: str | None = None):
    """To the list the form was on, at the suggestion."""
    return see_other(
        url_for("suggestions_pages.suggestions", group_id=group_id, sort=sort or _sort(), done=done)
        + f"#suggestion-{suggestion_id}"
    )


@blp.route("/suggestions/<int:suggestion_id>/vote", methods=["POST"])
@sign_in_required
def vote(suggestion_id: int):
    found = _readable_suggestion(suggestion_id)
    service.vote(current_user, suggestion_id)
    return _back(found.group_id, suggestion_id, "voted")


@blp.route("/suggestions/<int:suggestion_id>/unvote", methods=["POST"])
@sign_in_required
def unvote(suggestion_id: int):
    found = _readable_suggestion(suggestion_id)
    service.unvote(current_user, suggestion_id)
    return _back(found.group_id, suggestion_id, "unvoted")


@blp.route("/suggestions/<int:suggestion_id>/status", methods=["POST"])
@sign_in_required
def change_status(suggestion_id: int):
    """Moderators: a move the workflow does not allow is the 409 page, naming those it does."""
    found = _readable_suggestion(suggestion_id)
    data, form = load(SuggestionStatusSchema(), {"status": _("Choose a status")})
    if data is None:
        return suggestions_page(found.group_id, form)
    service.change_status(current_user, suggestion_id, data["status"])
    return _back(found.group_id, suggestion_id, "status")
