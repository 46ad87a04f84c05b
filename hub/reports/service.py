"""Reports: made by anyone about what they may read, seen and closed by the moderators of
the group concerned and by site admins.

What a report is about decides who sees it: a group's content goes to that group's owners
and moderators (and site admins); a person or a direct message to site admins alone.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from hub import policy
from hub.audit.service import record
from hub.auth.models import User
from hub.db import lock_row, utcnow
from hub.errors import Conflict, Forbidden, NotFound
from hub.extensions import db
from hub.forum.models import Post, Thread
from hub.groups.access import get_visible_group, group_access, moderator_ids
from hub.groups.models import Group
from hub.library.models import LibraryFile
from hub.live.models import LiveQuestion, LiveSession
from hub.messages.models import ConversationParticipant, Message
from hub.notifications.service import notify_many
from hub.reports.models import CLOSED_STATUSES, Report
from hub.suggestions.models import Suggestion

NOT_FOUND = lazy_gettext("There is nothing of this kind with this id, or you may not see it.")
NO_REPORT = lazy_gettext("There is no report with this id, or you may not see it.")
GROUP_CONTENT = {"post": Post, "thread": Thread, "file": LibraryFile, "suggestion": Suggestion}


def create_report(user: User, data: dict) -> Report:
    """Report something the person may read; its group's moderators (or the site admins)
    are told."""
    target_type, target_id = data["target_type"], data["target_id"]
    group = _readable_target_group(user, target_type, target_id)
    if _open_report_exists(user.id, target_type, target_id):
        raise Conflict(_("You have already reported this, and your report is still open."))
    report = Report(
        target_type=target_type,
        target_id=target_id,
        group_id=group.id if group else None,
        reporter_id=user.id,
        reason=data["reason"].strip(),
    )
    db.session.add(report)
    db.session.flush()
    _notify_reviewers(report, group)
    try:
        db.session.commit()
    except IntegrityError:  # the same report, sent twice at once: the other one won
        db.session.rollback()
        raise Conflict(
            _("You have already reported this, and your report is still open.")
        ) from None
    return report


def _open_report_exists(reporter_id: int, target_type: str, target_id: int) -> bool:
    return (
        db.session.scalar(
            select(Report.id).where(
                Report.reporter_id == reporter_id,
                Report.target_type == target_type,
                Report.target_id == target_id,
                Report.status == "open",
            )
        )
        is not None
    )


def _readable_target_group(user: User, target_type: str, target_id: int) -> Group | None:
    """The group the target belongs to (None for a person or a message): 404 unless it
    exists and this person may read it, exactly as if it did not exist."""
    if target_type == "person":
        person = db.session.get(User, target_id)
        if person is None or not person.is_active:
            raise NotFound(NOT_FOUND)
        return None
    if target_type == "message":
        message = db.session.get(Message, target_id)
        participants = set()
        if message is not None:
            participants = set(
                db.session.scalars(
                    select(ConversationParticipant.user_id).where(
                        ConversationParticipant.conversation_id == message.conversation_id
                    )
                )
            )
        if not policy.can_read_conversation(user, participants):
            raise NotFound(NOT_FOUND)
        return None
    if target_type == "question":
        return _readable_question_group(user, target_id)
    item = db.session.get(GROUP_CONTENT[target_type], target_id)
    group = db.session.get(Group, item.group_id) if item is not None else None
    if group is None or not policy.can_report_group_content(group, group_access(user, group)):
        raise NotFound(NOT_FOUND)
    return group


def _readable_question_group(user: User, question_id: int) -> Group:
    question = db.session.get(LiveQuestion, question_id)
    live = db.session.get(LiveSession, question.session_id) if question is not None else None
    if live is None:
        raise NotFound(NOT_FOUND)
    group = db.session.get(Group, live.group_id)
    access = group_access(user, group)
    panelist = user.id in live.panelist_ids
    moderator = policy.can_moderate_live_session(group, access, panelist)
    if not (
        policy.can_join_live_session(group, access, panelist)
        and policy.can_see_live_question(question, user.id, moderator)
    ):
        raise NotFound(NOT_FOUND)
    return group


def _notify_reviewers(report: Report, group: Group | None) -> None:
    """The group's owners and moderators, and the site admins; nobody else. The
    notification names what was reported, never the reason or the reporter."""
    data = {
        "report": {"id": report.id},
        "target_type": report.target_type,
        "target_id": report.target_id,
    }
    moderators: list[int] = []
    if group is not None:
        data["group"] = {"id": group.id, "name": group.name, "slug": group.slug}
        moderators = notify_many(moderator_ids(group.id), "report", data, group_id=group.id)
    admins = db.session.scalars(
        select(User.id).where(User.is_admin.is_(True), User.deactivated_at.is_(None))
    )
    # Without the group: a site admin reads every report, member of the group or not.
    notify_many(set(admins) - set(moderators) - {report.reporter_id}, "report", data)


def group_reports(user: User, group_id: int, status: str | None):
    """The reports about the group's content (its owners and moderators), newest first."""
    group = get_visible_group(user, group_id)
    if not policy.can_read_group_reports(group, group_access(user, group)):
        raise Forbidden(_("Only the group's owners and moderators can see reports about it."))
    return _newest_first(status).where(Report.group_id == group.id)


def all_reports(user: User, status: str | None):
    """Every report, people and messages included (site admins), newest first."""
    if not policy.can_read_all_reports(user):
        raise Forbidden(_("Only a site admin can see every report."))
    return _newest_first(status)


def _newest_first(status: str | None):
    statement = select(Report).order_by(Report.created_at.desc(), Report.id.desc())
    return statement.where(Report.status == status) if status else statement


def close_report(user: User, report_id: int, status: str, note: str | None) -> Report:
    """Resolve or dismiss a report (whoever may see it); recorded in the audit log."""
    # Locked, so that two reviewers at once cannot both close it.
    report = db.session.get(Report, report_id) if lock_row(Report, report_id) else None
    group = db.session.get(Group, report.group_id) if report and report.group_id else None
    access = group_access(user, group) if group is not None else None
    if report is None or not policy.can_resolve_report(user, group, access):
        raise NotFound(NO_REPORT)
    if report.status in CLOSED_STATUSES:
        raise Conflict(_("This report is already %(status)s.", status=report.status))
    report.status = status
    report.note = note
    report.resolved_at = utcnow()
    report.resolved_by_id = user.id
    record(
        user,
        f"report.{status}",
        "report",
        report.id,
        report.group_id,
        {"target_type": report.target_type, "target_id": report.target_id},
    )
    db.session.commit()
    return report


def prune(retention_days: int) -> int:
    """Delete the reports resolved or dismissed more than `retention_days` ago; open reports
    stay however old. Returns how many (the caller commits)."""
    cutoff = utcnow() - timedelta(days=retention_days)
    return db.session.execute(
        delete(Report).where(Report.status.in_(CLOSED_STATUSES), Report.resolved_at < cutoff)
    ).rowcount
