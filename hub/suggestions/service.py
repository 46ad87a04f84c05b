"""Suggestions: members propose and vote (one vote each), moderators move them along.

Voting is idempotent: voting twice leaves one vote, withdrawing a vote you never cast
changes nothing. Votes are taken while a suggestion is `open` or `under_review`; once it
is decided (accepted, declined, implemented) voting answers 409.
"""

from __future__ import annotations

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, exists, func, select
from sqlalchemy.exc import IntegrityError

from hub import policy
from hub.audit.service import record
from hub.auth.models import User
from hub.db import utcnow
from hub.errors import Conflict, Forbidden
from hub.extensions import db
from hub.groups.access import (
    get_readable_group,
    group_access,
    group_of_readable_content,
    readable_content_rows,
)
from hub.groups.models import Group
from hub.notifications.service import notify
from hub.policy import GroupAccess
from hub.suggestions.models import Suggestion, SuggestionVote
from hub.text import render_markdown


def _listing(user: User):
    """Suggestions with their vote count and your vote, counted in the same query."""
    votes = _votes()
    voted = (
        exists()
        .where(SuggestionVote.suggestion_id == Suggestion.id, SuggestionVote.user_id == user.id)
        .correlate(Suggestion)
        .label("voted")
    )
    return select(Suggestion, votes, voted), votes


def suggestions_of(user: User, group_id: int, sort: str, status: str | None = None):
    """The group's suggestions, most votes first (`votes`) or newest first (`new`)."""
    group = get_readable_group(user, group_id)
    statement, votes = _listing(user)
    statement = statement.where(Suggestion.group_id == group.id)
    if status:
        statement = statement.where(Suggestion.status == status)
    if sort == "votes":
        statement = statement.order_by(votes.desc(), Suggestion.created_at.desc())
    else:
        statement = statement.order_by(Suggestion.created_at.desc())
    return statement.order_by(Suggestion.id.desc())


def most_voted(user: User, group_id: int, limit: int) -> list:
    """The ids, titles and vote counts of the group's `limit` suggestions with the most
    votes, in `suggestions_of`'s order, for its page: one built-once statement."""
    return readable_content_rows(user, group_id, _most_voted(), limit)


def _votes():
    """A suggestion's count of votes, as a column."""
    return (
        select(func.count())
        .where(SuggestionVote.suggestion_id == Suggestion.id)
        .correlate(Suggestion)
        .scalar_subquery()
        .label("votes")
    )


@cache
def _most_voted():
    votes = _votes()
    return (
        select(Suggestion.id, Suggestion.title, votes)
        .where(Suggestion.group_id == bindparam("group_id"))
        .order_by(votes.desc(), Suggestion.created_at.desc(), Suggestion.id.desc())
        .limit(bindparam("limit", type_=Integer))
    )


def with_votes(rows) -> list[Suggestion]:
    """Dump-ready suggestions from rows of (suggestion, votes, voted)."""
    suggestions = []
    for suggestion, votes, voted in rows:
        suggestion.votes = votes or 0
        suggestion.voted = bool(voted)
        suggestions.append(suggestion)
    return suggestions


def create_suggestion(user: User, group_id: int, title: str, body: str) -> Suggestion:
    group = get_readable_group(user, group_id)
    access = group_access(user, group)
    if not policy.can_make_suggestion(user, group, access):
        raise Forbidden(_why_not_taking_part(user, group, access, _("make suggestions")))
    suggestion = Suggestion(
        group_id=group.id,
        author_id=user.id,
        title=title.strip(),
        body=body,
        body_html=render_markdown(body),
        status="open",
    )
    db.session.add(suggestion)
    db.session.commit()
    return get_suggestion(user, suggestion.id)


def get_suggestion(user: User, suggestion_id: int) -> Suggestion:
    suggestion, _group, _access = _readable_suggestion(user, suggestion_id)
    statement, _votes = _listing(user)
    return with_votes(db.session.execute(statement.where(Suggestion.id == suggestion.id)))[0]


def vote(user: User, suggestion_id: int) -> Suggestion:
    """Vote for a suggestion; voting again changes nothing."""
    suggestion = _open_for_voting(user, suggestion_id)
    if db.session.get(SuggestionVote, (suggestion.id, user.id)) is None:
        db.session.add(SuggestionVote(suggestion_id=suggestion.id, user_id=user.id))
        try:
            db.session.commit()
        except IntegrityError:
            # The same person voting twice at once: the other request's vote stands.
            db.session.rollback()
    return get_suggestion(user, suggestion_id)


def unvote(user: User, suggestion_id: int) -> Suggestion:
    """Withdraw your vote; withdrawing one you never cast changes nothing."""
    suggestion = _open_for_voting(user, suggestion_id)
    existing = db.session.get(SuggestionVote, (suggestion.id, user.id))
    if existing is not None:
        db.session.delete(existing)
        db.session.commit()
    return get_suggestion(user, suggestion_id)


def change_status(user: User, suggestion_id: int, status: str) -> Suggestion:
    """Move a suggestion along its workflow (moderators); its author hears of it."""
    suggestion, group, access = _readable_suggestion(user, suggestion_id)
    if not policy.can_change_suggestion_status(group, access):
        raise Forbidden(
            _("Only the group's owners and moderators can change a suggestion's status.")
        )
    previous = suggestion.status
    if status == previous:
        return get_suggestion(user, suggestion.id)
    if not policy.suggestion_status_may_change(previous, status):
        allowed = ", ".join(policy.SUGGESTION_TRANSITIONS.get(previous, ())) or "nothing"
        raise Conflict(
            _(
                "A suggestion that is %(previous)s can become %(allowed)s; not %(status)s.",
                previous=previous,
                allowed=allowed,
                status=status,
            )
        )
    suggestion.status = status
    suggestion.status_changed_at = utcnow()
    detail = {"status": status, "previous_status": previous}
    record(user, "suggestion.status_changed", "suggestion", suggestion.id, group.id, detail)
    if suggestion.author_id is not None and suggestion.author_id != user.id:
        notify(
            suggestion.author_id,
            "suggestion_status",
            {
                "user": {"id": user.id, "name": user.name},
                "group": {"id": group.id, "name": group.name},
                "suggestion": {"id": suggestion.id, "title": suggestion.title},
                "status": status,
                "previous_status": previous,
            },
            group_id=group.id,
        )
    db.session.commit()
    return get_suggestion(user, suggestion.id)


def _open_for_voting(user: User, suggestion_id: int) -> Suggestion:
    suggestion, group, access = _readable_suggestion(user, suggestion_id)
    if not policy.can_vote_on_suggestion(user, group, access):
        raise Forbidden(_why_not_taking_part(user, group, access, _("vote")))
    if suggestion.status not in policy.SUGGESTION_VOTING_STATUSES:
        raise Conflict(
            _(
                "This suggestion is %(status)s; voting on it has closed.",
                status=suggestion.status,
            )
        )
    return suggestion


def _readable_suggestion(user: User, suggestion_id: int) -> tuple[Suggestion, Group, GroupAccess]:
    suggestion = db.session.get(Suggestion, suggestion_id)
    group, access = group_of_readable_content(
        user,
        suggestion,
        _("There is no suggestion with this id, or you may not see it."),
        _("suggestions"),
    )
    return suggestion, group, access


def _why_not_taking_part(user: User, group: Group, access: GroupAccess, what: str) -> str:
    if group.archived_at is not None:
        return _("This group is archived; its suggestions can be read but not added to.")
    if not access.is_member:
        return _("Join this group to %(what)s in it.", what=what)
    if not policy.can_post(user):
        return _(
            "Confirm your email address (and wait for approval if you were told to) "
            "before you %(what)s.",
            what=what,
        )
    return _("You may not %(what)s in this group.", what=what)
