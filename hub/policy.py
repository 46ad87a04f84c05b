"""Who may do what: every permission rule of the hub, as plain functions.

Views, services, search and socket handlers ask these; none decides for itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from hub.auth.models import User


def is_site_admin(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_admin)


def is_public_sector_email(email: str) -> bool:
    """True for addresses on the allowlist of public-sector domains, and their subdomains."""
    domain = email.rsplit("@", 1)[-1].lower()
    return any(
        domain == allowed or domain.endswith("." + allowed)
        for allowed in current_app.config["HUB_PUBLIC_SECTOR_DOMAINS"]
    )


def can_post(user: User) -> bool:
    """Signed-in accounts may read at once, but write only once verified and approved."""
    if current_app.config["HUB_EMAIL_VERIFICATION"] == "off":
        return True
    return user.email_verified_at is not None and user.approved_at is not None


def can_approve_accounts(user: User) -> bool:
    return is_site_admin(user)


def can_contact(sender_id: int, recipient_id: int, blocked_pairs: set[tuple[int, int]]) -> bool:
    """A person who is blocked by the recipient cannot message them or ask to connect."""
    return (recipient_id, sender_id) not in blocked_pairs


def can_read_conversation(user: User, participant_ids: set[int]) -> bool:
    return user.id in participant_ids


# --- Groups --------------------------------------------------------------------------
# The facts about one person and one group are gathered once (GroupAccess) by the groups
# service; these rules only decide.


@dataclass(frozen=True)
class GroupAccess:
    """What one person is to one group."""

    role: str | None = None  # owner | moderator | member | None
    invited: bool = False
    requested: bool = False
    banned: bool = False
    site_admin: bool = False

    @property
    def is_member(self) -> bool:
        return self.role is not None


def can_see_group(group, access: GroupAccess) -> bool:
    """Whether the group exists for this person at all (hidden groups: members only)."""
    if group.archived_at is not None and not (access.is_member or access.site_admin):
        return False
    return group.visibility != "hidden" or access.is_member or access.site_admin


def can_read_group_content(group, access: GroupAccess) -> bool:
    """Threads, posts, files, suggestions, sessions: open groups to all, others to members."""
    if access.banned:
        return False
    if access.is_member:
        return True
    return group.visibility == "open" and group.archived_at is None


def can_post_in_group(user: User, group, access: GroupAccess) -> bool:
    return access.is_member and not access.banned and group.archived_at is None and can_post(user)


def can_moderate_group(group, access: GroupAccess) -> bool:
    return access.role in ("owner", "moderator") or access.site_admin


def can_archive_group(group, access: GroupAccess) -> bool:
    return access.role == "owner" or access.site_admin


def can_change_member_roles(group, access: GroupAccess) -> bool:
    return access.role == "owner" or access.site_admin


def join_outcome(group, access: GroupAccess) -> str:
    """What POST /join does: member, pending, forbidden (403) or hidden (404)."""
    if access.is_member:
        return "member"
    if access.banned:
        return "hidden" if group.visibility == "hidden" else "forbidden"
    if group.archived_at is not None:
        return "hidden" if group.visibility == "hidden" else "forbidden"
    if group.visibility == "open" or access.invited:
        return "member"
    if group.visibility == "restricted":
        return "pending"
    return "forbidden" if group.visibility == "private" else "hidden"
