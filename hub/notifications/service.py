"""Notifications: written in the transaction of what caused them, read by their owner.

`notify` and `notify_many` are the one place notifications are created. In the same
transaction they check that the recipient may still hear about the group concerned, and
queue an email for people who want one at once; `send_digest` mails the others daily.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, and_, bindparam, func, or_, select, update

from hub import policy
from hub.auth.models import User
from hub.db import Listing, paginate, run, utcnow
from hub.extensions import db
from hub.groups.models import Group, GroupBan, Invitation, JoinRequest, Membership
from hub.live import personal
from hub.mail import queue_mail
from hub.notifications.models import Notification, NotificationPreference
from hub.notifications.schemas import NotificationSchema
from hub.policy import GroupAccess

DIGEST_MAX_LINES = 50
_shown = NotificationSchema()  # a notification as GET /notifications shows it


def notify(user_id: int, kind: str, data: dict, group_id: int | None = None) -> None:
    """Add a notification to the current transaction (see `notify_many`)."""
    notify_many([user_id], kind, data, group_id=group_id)


def notify_many(
    user_ids: Iterable[int], kind: str, data: dict, group_id: int | None = None
) -> list[int]:
    """Notify these people in the current transaction; returns those actually notified.

    With a group, people who may not hear about it (banned, or no longer able to read its
    content) are skipped. People whose email preference is `immediate` get a mail queued
    through the outbox, so that it is sent only if the transaction commits.
    """
    ids = sorted(set(user_ids))
    if ids and group_id is not None:
        ids = _may_hear_from_group(ids, group_id, kind)
    if not ids:
        return []
    rows = db.session.execute(
        select(User.id, User.email, NotificationPreference.notification_email)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(User.id.in_(ids), User.deactivated_at.is_(None))
        .order_by(User.id)
    ).all()
    notifications = []
    for row in rows:
        notifications.append(Notification(user_id=row.id, kind=kind, data=data, group_id=group_id))
        if (row.notification_email or "immediate") == "immediate":
            subject = describe(kind, data)
            queue_mail(row.email, subject, _mail_body([(subject, kind, data, group_id)]))
    db.session.add_all(notifications)
    db.session.flush()  # their ids and times, for the live channel's personal events
    personal.queue("notification", ((n.user_id, _shown.dump(n)) for n in notifications))
    return [row.id for row in rows]


def _may_hear_from_group(user_ids: list[int], group_id: int, kind: str) -> list[int]:
    """The batch form of the groups service's `group_access`, judged by policy."""
    group = db.session.get(Group, group_id)
    if group is None:
        return []

    def ids_in(model) -> set[int]:
        return set(
            db.session.scalars(
                select(model.user_id).where(model.group_id == group_id, model.user_id.in_(user_ids))
            )
        )

    roles = dict(
        db.session.execute(
            select(Membership.user_id, Membership.role).where(
                Membership.group_id == group_id, Membership.user_id.in_(user_ids)
            )
        ).all()
    )
    banned, invited, requested = ids_in(GroupBan), ids_in(Invitation), ids_in(JoinRequest)
    admins = set(db.session.scalars(select(User.id).where(User.id.in_(user_ids), User.is_admin)))
    return [
        user_id
        for user_id in user_ids
        if policy.can_receive_group_notification(
            group,
            GroupAccess(
                role=roles.get(user_id),
                invited=user_id in invited,
                requested=user_id in requested,
                banned=user_id in banned,
                site_admin=user_id in admins,
            ),
            kind,
        )
    ]


def describe(kind: str, data: dict) -> str:
    """One line saying what happened, for mail subjects, digests and the pages."""
    who = (data.get("user") or {}).get("name") or _("Someone")
    thread = (data.get("thread") or {}).get("title")
    suggestion = (data.get("suggestion") or {}).get("title")
    group = (data.get("group") or {}).get("name")
    if kind == "mention" and thread:
        line = _("%(who)s mentioned you in “%(thread)s”", who=who, thread=thread)
    elif kind == "reply" and thread:
        line = _("%(who)s replied in “%(thread)s”", who=who, thread=thread)
    elif kind == "suggestion_status" and suggestion:
        status = str(data.get("status", "")).replace("_", " ")
        line = _(
            "Your suggestion “%(suggestion)s” is now %(status)s",
            suggestion=suggestion,
            status=status,
        )
    elif kind == "live_session_started":
        title = (data.get("session") or {}).get("title") or _("A live session")
        line = _("Live now: “%(title)s”", title=title)
    elif kind == "message":
        line = _("%(who)s sent you a message", who=who)
    elif kind == "connection_request":
        line = _("%(who)s would like to connect with you", who=who)
    elif kind == "connection_accepted":
        line = _("%(who)s accepted your request to connect", who=who)
    elif kind == "invitation" and group:
        return _one_line(_("%(who)s invited you to join %(group)s", who=who, group=group))
    elif kind == "join_request" and group:
        return _one_line(_("%(who)s asked to join %(group)s", who=who, group=group))
    elif kind == "report":
        what = str(data.get("target_type", "something"))
        line = _("New report about a %(what)s", what=what)
    elif kind == "join_approved" and group:
        return _one_line(_("You are now a member of %(group)s", group=group))
    else:
        line = _("New %(kind)s notification", kind=kind.replace("_", " "))
    if group:
        line += f" ({group})"
    return _one_line(line)


def page_path(kind: str, data: dict, group_id: int | None) -> str | None:
    """The page a notification is about (the pages' and the emails' link), if any."""
    if conversation_id := data.get("conversation_id"):
        return f"/messages/{conversation_id}"
    if thread := data.get("thread"):
        return f"/threads/{thread['id']}"
    if kind in ("connection_request", "connection_accepted") and data.get("user"):
        return f"/people/{data['user']['id']}"
    if kind == "live_session_started" and data.get("session"):
        return f"/live/{data['session']['id']}"
    group_id = group_id or (data.get("group") or {}).get("id")
    if kind == "suggestion_status" and data.get("suggestion") and group_id:
        return f"/groups/{group_id}/suggestions#suggestion-{data['suggestion']['id']}"
    return f"/groups/{group_id}" if group_id else None


def _one_line(text: str) -> str:
    # Whatever people put in names and titles: a mail subject may not hold newlines.
    return " ".join(text.split())[:200]


def _mail_body(lines: list[tuple[str, str, dict, int | None]], more: int = 0) -> str:
    base = current_app.config["HUB_BASE_URL"].rstrip("/")
    parts = []
    for text, kind, data, group_id in lines:
        parts.append(f"- {text}")
        if path := page_path(kind, data, group_id):
            parts.append(f"  {base}{path}")
    if more:
        parts.append(_("... and %(more)s more.", more=more))
    parts += [
        "",
        _("All your notifications: %(link)s", link=base + "/notifications"),
        _(
            "To change how often we email you, change your notification settings (%(link)s).",
            link=base + "/notifications#settings",
        ),
    ]
    return "\n".join(parts) + "\n"


def notification_page(user: User, unread_only: bool, pagination_parameters) -> list:
    """One page of your notifications, newest first, as rows of the shown columns."""
    unreadable = _unreadable_group_ids(user)
    params = {"caller_id": user.id, "unreadable": unreadable}
    listing = _notifications(unread_only, hide_groups=bool(unreadable))
    return paginate(listing, pagination_parameters, "mappings", params)


@cache
def _notifications(unread_only: bool, hide_groups: bool) -> Listing:
    """Built once for each shape: the notifications `caller_id` may still see."""
    statement = _shown_columns().where(_still_visible(hide_groups))
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return Listing(statement.order_by(Notification.id.desc()))


def _shown_columns():
    return select(
        Notification.id,
        Notification.kind,
        Notification.group_id,
        Notification.data,
        Notification.created_at,
        Notification.read_at,
    )


def every_visible_notification(user: User) -> tuple[Select, dict]:
    """A select of all the notifications GET /notifications shows you, oldest first, with
    its parameters (for the export of your data)."""
    unreadable = _unreadable_group_ids(user)
    statement = _shown_columns().where(_still_visible(bool(unreadable))).order_by(Notification.id)
    return statement, {"caller_id": user.id, "unreadable": unreadable}


def unread_count(user: User) -> int:
    return run(select(unread_count_column()), {"caller_id": user.id}).scalar()


@cache
def unread_count_column():
    """Built once: how many notifications of `caller_id` are unread, less those about the
    content of groups they may no longer read, as a column (every page's header reads it
    beside the unread messages, in one statement). The groups they may read are looked up
    only for a notification about a group's content, which is rare among the unread."""
    from hub.groups.access import readable_group_ids_select

    caller = bindparam("caller_id")
    return (
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == caller,
            Notification.read_at.is_(None),
            or_(
                Notification.group_id.is_(None),
                Notification.kind.in_(policy.MEMBERSHIP_NOTIFICATION_KINDS),
                Notification.group_id.in_(readable_group_ids_select(caller)),
            ),
        )
        .scalar_subquery()
    )


def _unreadable_group_ids(user: User) -> list[int]:
    """The groups this person has notifications from but may no longer read (usually none)."""
    return sorted(run(_groups_mentioned_unreadable(), {"caller_id": user.id}).scalars())


@cache
def _groups_mentioned_unreadable():
    """Built once: the groups the notifications of `caller_id` are about whose content they
    may not read (`readable_group_ids`, in SQL)."""
    from hub.groups.access import readable_group_ids_select

    caller = bindparam("caller_id")
    return (
        select(Notification.group_id)
        .where(
            Notification.user_id == caller,
            Notification.group_id.is_not(None),
            Notification.group_id.not_in(readable_group_ids_select(caller)),
        )
        .distinct()
    )


def _still_visible(hide_groups: bool):
    """The notifications of `caller_id`, less, with `hide_groups`, those about the content of
    the groups `unreadable`: they vanish once you may no longer read the group."""
    mine = Notification.user_id == bindparam("caller_id")
    if not hide_groups:
        return mine
    return and_(
        mine,
        or_(
            Notification.group_id.is_(None),
            Notification.group_id.not_in(bindparam("unreadable", expanding=True)),
            Notification.kind.in_(policy.MEMBERSHIP_NOTIFICATION_KINDS),
        ),
    )


def mark_conversation_notifications_read(user: User, conversation_id: int) -> None:
    """In the current transaction: your notifications of a conversation's messages are
    read (you opened it)."""
    db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.kind == "message",
            Notification.data["conversation_id"].as_integer() == conversation_id,
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def mark_read(user: User, ids: list[int] | None, everything: bool) -> int:
    statement = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if not everything:
        statement = statement.where(Notification.id.in_(ids or []))
    db.session.execute(statement.values(read_at=utcnow()))
    db.session.commit()
    return unread_count(user)


# --- Email preference and the daily digest -------------------------------------------


def email_preference(user: User) -> str:
    preference = db.session.get(NotificationPreference, user.id)
    return preference.notification_email if preference else "immediate"


def set_email_preference(user: User, choice: str) -> str:
    preference = db.session.get(NotificationPreference, user.id)
    if preference is None:
        preference = NotificationPreference(user_id=user.id)
        db.session.add(preference)
    if choice == "daily" and preference.notification_email != "daily":
        # The first digest covers what arrives from now on, not the whole history.
        preference.last_digest_at = utcnow()
    preference.notification_email = choice
    db.session.commit()
    return choice


def daily_digest_recipients() -> list[int]:
    """The active people who asked for a daily digest."""
    return list(
        db.session.scalars(
            select(NotificationPreference.user_id)
            .join(User, User.id == NotificationPreference.user_id)
            .where(
                NotificationPreference.notification_email == "daily",
                User.deactivated_at.is_(None),
            )
            .order_by(NotificationPreference.user_id)
        )
    )


def send_digest(user_id: int, now: datetime | None = None) -> bool:
    """Queue one mail summing up this person's unread notifications since their last digest.

    Notifications from groups they may no longer hear from are left out. Returns whether
    a mail was queued (nothing is sent when there is nothing new).
    """
    now = now or utcnow()
    user = db.session.get(User, user_id)
    preference = db.session.get(NotificationPreference, user_id)
    if user is None or preference is None or preference.notification_email != "daily":
        return False
    statement = select(Notification).where(
        Notification.user_id == user_id,
        Notification.read_at.is_(None),
        Notification.created_at <= now,
    )
    if preference.last_digest_at is not None:
        statement = statement.where(Notification.created_at > preference.last_digest_at)
    pending = db.session.scalars(statement.order_by(Notification.id)).all()
    pending = _still_heard(user, pending)
    preference.last_digest_at = now
    if pending:
        lines = [(describe(n.kind, n.data), n.kind, n.data, n.group_id) for n in pending]
        subject = ngettext(
            "Knowledge Hub: %(num)d new notification",
            "Knowledge Hub: %(num)d new notifications",
            len(lines),
        )
        body = _mail_body(lines[:DIGEST_MAX_LINES], more=max(0, len(lines) - DIGEST_MAX_LINES))
        queue_mail(user.email, subject, _("Since your last digest:") + "\n\n" + body)
    db.session.commit()
    return bool(pending)


def _still_heard(user: User, notifications: list[Notification]) -> list[Notification]:
    """Those this person may still hear about: not from groups that banned or left them."""
    from hub.groups.access import group_access

    group_ids = {n.group_id for n in notifications if n.group_id is not None}
    groups = {g.id: g for g in db.session.scalars(select(Group).where(Group.id.in_(group_ids)))}
    accesses = {group_id: group_access(user, group) for group_id, group in groups.items()}
    return [
        n
        for n in notifications
        if n.group_id is None
        or (
            n.group_id in groups
            and policy.can_receive_group_notification(
                groups[n.group_id], accesses[n.group_id], n.kind
            )
        )
    ]
