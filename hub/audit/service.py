"""The audit log: written in the transaction of each moderation and administration action,
read by a group's owners and moderators (its own entries) and by site admins (all).

There is no way to change or delete an entry through the API; `prune` alone removes
entries, once they are older than the retention period.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, select

from hub import policy
from hub.audit.models import AuditEntry
from hub.auth.models import User
from hub.auth.schemas import person_ref
from hub.db import Listing, paginate, utcnow
from hub.errors import Forbidden
from hub.extensions import db


def record(
    actor: User,
    action: str,
    target_type: str,
    target_id: int | None,
    group_id: int | None = None,
    detail: dict | None = None,
) -> None:
    """Add an entry to the current transaction (never commits): it is written with the
    action, or not at all."""
    db.session.add(
        AuditEntry(
            actor_id=actor.id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            group_id=group_id,
            detail=detail or {},
        )
    )


def group_log_page(user: User, group_id: int, pagination_parameters) -> list[dict]:
    """One page of the group's entries, newest first (its owners and moderators)."""
    from hub.groups.access import get_visible_group, group_access

    group = get_visible_group(user, group_id)
    if not policy.can_read_group_audit(group, group_access(user, group)):
        raise Forbidden(_("Only the group's owners and moderators can read its audit log."))
    params = {"group_id": group.id}
    return _dumpable(paginate(_log(True), pagination_parameters, "mappings", params))


def site_log_page(user: User, pagination_parameters) -> list[dict]:
    """One page of every entry, newest first (site admins)."""
    if not policy.can_read_site_audit(user):
        raise Forbidden(_("Only a site admin can read the site's audit log."))
    return _dumpable(paginate(_log(False), pagination_parameters, "mappings"))


@cache
def _log(of_one_group: bool) -> Listing:
    """Built once: the entries (of the group `group_id`), newest first, with the actor's name."""
    actor_name = select(User.name).where(User.id == AuditEntry.actor_id).scalar_subquery()
    statement = select(
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.actor_id,
        actor_name.label("actor_name"),
        AuditEntry.action,
        AuditEntry.target_type,
        AuditEntry.target_id,
        AuditEntry.group_id,
        AuditEntry.detail,
    )
    if of_one_group:
        statement = statement.where(AuditEntry.group_id == bindparam("group_id"))
    return Listing(statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))


def _dumpable(rows: list[dict]) -> list[dict]:
    for row in rows:
        actor_id, name = row.pop("actor_id"), row.pop("actor_name")
        row["actor"] = person_ref(actor_id, name)
    return rows


def prune(retention_days: int) -> int:
    """Delete the entries older than `retention_days`; returns how many (the caller commits)."""
    cutoff = utcnow() - timedelta(days=retention_days)
    return db.session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)).rowcount
