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


def can_deactivate_accounts(user: User) -> bool:
    return is_site_admin(user)


def can_contact(sender_id: int, recipient_id: int, blocked_pairs: set[tuple[int, int]]) -> bool:
    """A block silences both ways: neither person can message the other or ask to connect."""
    return (recipient_id, sender_id) not in blocked_pairs and (
        sender_id,
        recipient_id,
    ) not in blocked_pairs


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
    if access.banned or group.archived_at is not None:
        return "forbidden" if can_see_group(group, access) else "hidden"
    if group.visibility == "open" or access.invited:
        return "member"
    if group.visibility == "restricted":
        return "pending"
    return "forbidden" if can_see_group(group, access) else "hidden"


def can_create_group(user: User) -> bool:
    return can_post(user)


def can_list_group(group, access: GroupAccess) -> bool:
    """Whether the group shows in the directory (GET /groups without member=me).

    The groups service mirrors this rule in SQL (`_listed_condition`); the permission
    matrix test checks that the two agree.
    """
    if group.archived_at is not None:
        return False
    return group.visibility != "hidden" or access.is_member or access.site_admin


def can_edit_group(group, access: GroupAccess) -> bool:
    """Name, description and tags."""
    return can_moderate_group(group, access)


def can_change_group_visibility(group, access: GroupAccess) -> bool:
    """Opening a private group exposes its content, so only owners (and site admins)."""
    return access.role == "owner" or access.site_admin


def can_list_members(group, access: GroupAccess) -> bool:
    """Who belongs to a group is part of its content."""
    return can_read_group_content(group, access)


def can_see_mention_suggestions(user: User, group, access: GroupAccess) -> bool:
    """Whom to mention is offered to those who may post in the group, from its members."""
    return can_post_in_group(user, group, access)


def can_handle_join_requests(group, access: GroupAccess) -> bool:
    return can_moderate_group(group, access)


def can_invite_to_group(group, access: GroupAccess) -> bool:
    return can_moderate_group(group, access) and group.archived_at is None


def can_remove_member(group, access: GroupAccess, target_role: str) -> bool:
    """Moderators remove and ban members; only owners (and site admins) remove owners."""
    if not can_moderate_group(group, access):
        return False
    return target_role != "owner" or access.role == "owner" or access.site_admin


def can_leave_group(group, access: GroupAccess) -> bool:
    return access.is_member


def group_needs_an_owner(group) -> bool:
    """Its last owner may not leave or close their account: someone must run it. An
    archived group is only a record."""
    return group.archived_at is None


def can_lift_ban(group, access: GroupAccess) -> bool:
    """The same people as ban: the group's owners and moderators (and site admins)."""
    return can_moderate_group(group, access)


def can_cancel_invitation(group, access: GroupAccess) -> bool:
    """Whoever may invite; in an archived group too, so a stale invitation can go."""
    return can_moderate_group(group, access)


# --- Reports and the audit log ---------------------------------------------------------


def can_report_group_content(group, access: GroupAccess) -> bool:
    """Anyone may report a group's thread, post, file or suggestion that they may read."""
    return can_see_group(group, access) and can_read_group_content(group, access)


def can_read_group_reports(group, access: GroupAccess) -> bool:
    """Reports about a group's content: its owners and moderators (and site admins)."""
    return can_moderate_group(group, access)


def can_read_all_reports(user: User) -> bool:
    """Every report, about people and direct messages too: site admins."""
    return is_site_admin(user)


def can_resolve_report(user: User, group, access: GroupAccess | None) -> bool:
    """Whoever may see the report: its group's moderators, or site admins (for a report about
    a person or a message, `group` is None: site admins only)."""
    if is_site_admin(user):
        return True
    return group is not None and can_read_group_reports(group, access)


def can_read_group_audit(group, access: GroupAccess) -> bool:
    """A group's audit log: its owners and moderators (and site admins)."""
    return can_moderate_group(group, access)


def can_read_site_audit(user: User) -> bool:
    return is_site_admin(user)


# --- Forum ---------------------------------------------------------------------------


def can_pin_or_lock_thread(group, access: GroupAccess) -> bool:
    return can_moderate_group(group, access)


def can_rename_thread(user: User, thread, group, access: GroupAccess) -> bool:
    if can_moderate_group(group, access):
        return True
    return thread.author_id == user.id and can_post_in_group(user, group, access)


def can_delete_thread(user: User, thread, group, access: GroupAccess) -> bool:
    """Moderators always; the author only while nobody else has replied."""
    if can_moderate_group(group, access):
        return True
    return thread.author_id == user.id and thread.post_count <= 1


def can_reply_in_thread(user: User, thread, group, access: GroupAccess) -> bool:
    """Members may post; a locked thread takes posts from moderators only."""
    moderator = can_moderate_group(group, access)
    may_write = can_post_in_group(user, group, access) or (
        moderator and group.archived_at is None and can_post(user)
    )
    return may_write and (not thread.locked or moderator)


def can_edit_post(user: User, post, thread, group, access: GroupAccess) -> bool:
    """Moderators, or the author while they may still post and the thread is not locked."""
    if can_moderate_group(group, access):
        return True
    return (
        post.author_id == user.id and can_post_in_group(user, group, access) and not thread.locked
    )


def can_delete_post(user: User, post, group, access: GroupAccess) -> bool:
    """Moderators, or the author (people may always take back what they wrote)."""
    return can_moderate_group(group, access) or post.author_id == user.id


# --- Suggestions ---------------------------------------------------------------------

# Where a suggestion may go next. `implemented` may step back to `accepted` to undo a
# mistake; nothing else leaves it.
SUGGESTION_TRANSITIONS = {
    "open": ("under_review", "accepted", "declined"),
    "under_review": ("open", "accepted", "declined"),
    "accepted": ("under_review", "declined", "implemented"),
    "declined": ("open", "under_review"),
    "implemented": ("accepted",),
}
SUGGESTION_VOTING_STATUSES = ("open", "under_review")


def can_make_suggestion(user: User, group, access: GroupAccess) -> bool:
    return can_post_in_group(user, group, access)


def can_vote_on_suggestion(user: User, group, access: GroupAccess) -> bool:
    """One vote a member; whether voting is still open is the suggestion's status."""
    return can_post_in_group(user, group, access)


def can_change_suggestion_status(group, access: GroupAccess) -> bool:
    return can_moderate_group(group, access) and group.archived_at is None


def suggestion_status_may_change(current: str, new: str) -> bool:
    return new in SUGGESTION_TRANSITIONS.get(current, ())


# --- Notifications -------------------------------------------------------------------

# Notifications about a person's place in a group (not about its content): these reach
# people who cannot read the group yet, such as the invited and those who asked to join.
MEMBERSHIP_NOTIFICATION_KINDS = frozenset(
    {
        "invitation",
        "group_invitation",
        "join_request",
        "join_approved",
        "join_declined",
        "join_request_approved",
        "join_request_declined",
        "role_changed",
    }
)


def can_receive_group_notification(group, access: GroupAccess, kind: str) -> bool:
    """Banned people hear nothing from a group; content news reaches only its readers."""
    if access.banned:
        return False
    if kind in MEMBERSHIP_NOTIFICATION_KINDS:
        return True
    return can_read_group_content(group, access)


# --- Live sessions -------------------------------------------------------------------
# A session's moderators are the group's owners and moderators and the session's
# panelists. The live service gathers `is_panelist` with the GroupAccess; these decide.


def can_schedule_live_session(user: User, group, access: GroupAccess) -> bool:
    """Group moderators, who must also be able to run it: a site admin who may not read a
    group's content cannot schedule a session there that they could not open."""
    return (
        can_moderate_group(group, access)
        and can_read_group_content(group, access)
        and group.archived_at is None
        and can_post(user)
    )


def can_join_live_session(group, access: GroupAccess, is_panelist: bool) -> bool:
    """Watch a session (REST reads, `join`): whoever may read the group, and its panelists.

    Banned people hear nothing from the group, panelists or not.
    """
    if access.banned:
        return False
    return is_panelist or can_read_group_content(group, access)


def can_moderate_live_session(group, access: GroupAccess, is_panelist: bool) -> bool:
    """Start, end, answer and moderate: the group's moderators and the session's panelists."""
    if access.banned:
        return False
    return is_panelist or can_moderate_group(group, access)


def can_take_part_in_live_session(
    user: User, group, access: GroupAccess, is_panelist: bool
) -> bool:
    """Ask, vote and chat: members who may post, and the session's moderators."""
    if access.banned or group.archived_at is not None or not can_post(user):
        return False
    return access.is_member or can_moderate_live_session(group, access, is_panelist)


def can_see_live_question(question, user_id: int, moderator: bool) -> bool:
    """Visible questions to all; pending ones to moderators and their asker; hidden ones to
    moderators only."""
    if question.status == "visible":
        return True
    if moderator:
        return True
    return question.status == "pending" and question.author_id == user_id


# --- Library -------------------------------------------------------------------------


def can_upload_file(user: User, group, access: GroupAccess) -> bool:
    """Members who may post add files and folders; readers of open groups only read."""
    return can_post_in_group(user, group, access)


def can_create_library_folder(user: User, group, access: GroupAccess) -> bool:
    return can_post_in_group(user, group, access)


def can_edit_file(user: User, library_file, group, access: GroupAccess) -> bool:
    """Metadata and new versions: moderators, or the uploader while they may still post."""
    if can_moderate_group(group, access) and group.archived_at is None:
        return True
    return library_file.uploaded_by_id == user.id and can_post_in_group(user, group, access)


def can_delete_file(user: User, library_file, group, access: GroupAccess) -> bool:
    """Moderators, or the uploader (people may always take back what they shared)."""
    return can_moderate_group(group, access) or library_file.uploaded_by_id == user.id


def may_open_live_transport(
    origin: str, allowed_origins: set[str], own_origins: set[str], carries_session_cookie: bool
) -> bool:
    """Engine.IO's Origin check, before any Socket.IO authentication.

    Our own and the allowed origins always; any other origin only without the session
    cookie, so that a foreign page can connect with a token (tokens are not
    Origin-checked) but can never ride on a signed-in browser's cookie.
    """
    origin = origin.rstrip("/")
    if origin in allowed_origins or origin in own_origins:
        return True
    return not carries_session_cookie


def may_use_cookie_on_live(
    origin: str | None, allowed_origins: set[str], sec_fetch_site: str | None
) -> bool:
    """A cookie-authenticated live connection: only from an allowed Origin. Browsers leave
    Origin out of same-origin GETs (long-polling); their Sec-Fetch-Site, which pages
    cannot forge, then says `same-origin`."""
    if origin:
        return origin.rstrip("/") in allowed_origins
    return sec_fetch_site == "same-origin"
