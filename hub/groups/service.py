"""Subject groups: the directory, membership, join requests, invitations, roles and bans.

Every decision is `hub.policy`'s; this module gathers the facts (GroupAccess), asks, and
changes the database in one transaction. Nothing about a membership is cached between
requests, so a removed or banned member loses access with their next request.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import (
    Integer,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)

from hub import policy
from hub.audit.service import record
from hub.auth.models import User
from hub.db import Listing, paginate, run, utcnow, value_list, values_of
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.extensions import db
from hub.groups.access import (
    NOT_FOUND,
    group_access,
    moderator_ids,
    visible_group_and_access,
)
from hub.groups.models import Group, GroupBan, GroupTag, Invitation, JoinRequest, Membership
from hub.notifications.service import notify
from hub.revocation import group_access_lost
from hub.tags import clean_tags, replace_tags, tag_key, tag_order
from hub.text import render_markdown


def create_group(user: User, data: dict) -> Group:
    """A new group with its creator as owner."""
    if not policy.can_create_group(user):
        raise Forbidden(
            _(
                "Confirm your email address (and wait for approval if you were told to) "
                "before you create a group."
            ),
        )
    group = Group(
        name=data["name"].strip(),
        slug=_unique_slug(data["name"]),
        description=data["description"],
        description_html=render_markdown(data["description"]),
        visibility=data["visibility"],
        created_by_id=user.id,
        member_count=1,
        tags=[GroupTag(tag=tag) for tag in clean_tags(data["tags"])],
    )
    db.session.add(group)
    db.session.flush()
    db.session.add(Membership(group_id=group.id, user_id=user.id, role="owner"))
    db.session.commit()
    group.my_role = "owner"
    return group


def _unique_slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:120].strip("-") or "group"
    taken = set(
        db.session.scalars(
            select(Group.slug).where(or_(Group.slug == base, Group.slug.like(f"{base}-%")))
        )
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def directory_page(user: User, filters: dict, pagination_parameters) -> list[dict]:
    """One page of the groups this person may find, by name, description or tag, or only
    of their own; dump-ready, with their tags and the person's role."""
    params = {"caller_id": user.id}
    if filters.get("q"):
        params["pattern"] = f"%{_escape_like(filters['q'].strip())}%"
    if filters.get("tag"):
        params["tag"] = tag_key(filters["tag"])
    listing = _directory(
        only_mine=filters.get("member") == "me",
        site_admin=policy.is_site_admin(user),
        by_text="pattern" in params,
        by_tag="tag" in params,
    )
    return _with_tags(paginate(listing, pagination_parameters, "mappings", params))


@cache
def _directory(only_mine: bool, site_admin: bool, by_text: bool, by_tag: bool) -> Listing:
    """Built once for each shape: the groups `caller_id` may find (or only their own),
    matching `pattern` and `tag`, in name order, with the caller's role (`my_role`)."""
    caller = bindparam("caller_id")
    mine = select(Membership.group_id).where(Membership.user_id == caller)
    my_role = select(Membership.role).where(
        Membership.group_id == Group.id, Membership.user_id == caller
    )
    statement = select(
        Group.id,
        Group.slug,
        Group.name,
        Group.description,
        Group.description_html,
        Group.visibility,
        Group.member_count,
        Group.created_at,
        Group.archived_at,
        my_role.scalar_subquery().label("my_role"),
        value_list(GroupTag.tag, GroupTag.group_id == Group.id).label("tag_list"),
    )
    if only_mine:
        statement = statement.where(Group.id.in_(mine))
    else:
        # policy.can_list_group, in SQL.
        statement = statement.where(Group.archived_at.is_(None))
        if not site_admin:
            statement = statement.where(or_(Group.visibility != "hidden", Group.id.in_(mine)))
    if by_text:
        pattern = bindparam("pattern")
        statement = statement.where(
            or_(
                Group.name.ilike(pattern, escape="\\"),
                Group.description.ilike(pattern, escape="\\"),
                Group.id.in_(
                    select(GroupTag.group_id).where(GroupTag.tag.ilike(pattern, escape="\\"))
                ),
            )
        )
    if by_tag:
        statement = statement.where(
            Group.id.in_(select(GroupTag.group_id).where(GroupTag.tag_key == bindparam("tag")))
        )
    return Listing(statement.order_by(Group.name, Group.id))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _with_tags(rows: list[dict]) -> list[dict]:
    """Dump-ready groups from rows of `_directory`: their `tag_list` as `tag_names`."""
    for row in rows:
        row["tag_names"] = tag_order(values_of(row.pop("tag_list")))
    return rows


def update_group(user: User, group_id: int, changes: dict) -> Group:
    group, access = visible_group_and_access(user, group_id)
    if not policy.can_edit_group(group, access):
        raise Forbidden(_("Only the group's owners and moderators can edit it."))
    if changes.get(
        "visibility", group.visibility
    ) != group.visibility and not policy.can_change_group_visibility(group, access):
        raise Forbidden(_("Only the group's owners can change who may see and join it."))
    if "name" in changes:
        group.name = changes["name"].strip()
    if "description" in changes:
        group.description = changes["description"]
        group.description_html = render_markdown(changes["description"])
    if "visibility" in changes:
        group.visibility = changes["visibility"]
    if "tags" in changes:
        # The list sent is the one kept, in its spelling (`hhsrs` may become `HHSRS`).
        group.tags = replace_tags(group.tags, changes["tags"], GroupTag)
    db.session.commit()
    group.my_role = access.role
    return group


def archive_group(user: User, group_id: int) -> None:
    """Archive: the group leaves the directory; its members keep reading, nobody posts."""
    group, access = visible_group_and_access(user, group_id)
    if not policy.can_archive_group(group, access):
        raise Forbidden(_("Only the group's owners can archive it."))
    if group.archived_at is None:
        group.archived_at = utcnow()
    db.session.commit()


# --- Joining and leaving --------------------------------------------------------------


def join_group(user: User, group_id: int) -> str:
    """Join (`member`) or ask to join (`pending`), as the group's visibility allows."""
    group = db.session.get(Group, group_id, with_for_update=True, populate_existing=True)
    if group is None:
        raise NotFound(NOT_FOUND)
    access = group_access(user, group)
    outcome = policy.join_outcome(group, access)
    if outcome == "hidden":
        raise NotFound(NOT_FOUND)
    if outcome == "forbidden":
        if access.banned:
            raise Forbidden(_("You have been removed from this group and may not rejoin it."))
        if group.archived_at is not None:
            raise Forbidden(_("This group is archived and takes no new members."))
        raise Forbidden(_("This group is private: people join when a moderator invites them."))
    if outcome == "member":
        if not access.is_member:
            _add_member(group, user.id)
            db.session.commit()
        return "member"
    if not access.requested:
        db.session.add(JoinRequest(group_id=group.id, user_id=user.id))
        for moderator_id in moderator_ids(group.id):
            notify(
                moderator_id,
                "join_request",
                {"group": _group_ref(group), "user": _ref(user)},
                group_id=group.id,
            )
        db.session.commit()
    return "pending"


def leave_group(user: User, group_id: int) -> None:
    group, access = visible_group_and_access(user, group_id, lock=True)
    if not policy.can_leave_group(group, access):
        raise NotFound(_("You are not a member of this group."))
    if access.role == "owner" and _owner_count(group.id) == 1:
        raise Conflict(
            _(
                "You are this group's last owner: make another member an owner first "
                "(PATCH /api/v1/groups/{id}/members/{user_id}), or archive the group."
            ),
        )
    _remove_member(group, user.id)
    db.session.commit()
    group_access_lost(group.id, user.id)


def end_memberships_of(user: User) -> None:
    """Take a person who closes their account out of every group, keeping the groups'
    member counts; 409 while they are the last owner of a group that needs one."""
    owned = db.session.scalars(
        select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id, Membership.role == "owner")
        .order_by(Group.name)
    ).all()
    stranded = [g for g in owned if policy.group_needs_an_owner(g) and _owner_count(g.id) == 1]
    if stranded:
        names = ", ".join(f"{g.name} (id {g.id})" for g in stranded)
        raise Conflict(
            _(
                "You are the last owner of %(names)s: make another member an owner first "
                "(PATCH /api/v1/groups/{id}/members/{user_id}), or archive the group, "
                "then close your account.",
                names=names,
            ),
        )
    theirs = select(Membership.group_id).where(Membership.user_id == user.id)
    db.session.execute(
        update(Group)
        .where(Group.id.in_(theirs))
        .values(member_count=Group.member_count - 1)
        .execution_options(synchronize_session=False)
    )
    for model in (Membership, Invitation, JoinRequest):
        db.session.execute(delete(model).where(model.user_id == user.id))


def members_of(user: User, group_id: int):
    """The members with their roles: owners, then moderators, then members."""
    group = _member_list_group(user, group_id)
    return (
        select(Membership)
        .where(Membership.group_id == group.id)
        # ROLES sort in reverse rank order: the index ix_memberships_group_rank serves it.
        .order_by(Membership.role.desc(), Membership.joined_at, Membership.user_id)
    )


def first_members(user: User, group_id: int, limit: int) -> list:
    """The names and roles of the group's first `limit` members in `members_of`'s order,
    for its page: one built-once statement of two columns."""
    _member_list_group(user, group_id)
    return run(_first_members(), {"group_id": group_id, "limit": limit}).all()


def _member_list_group(user: User, group_id: int) -> Group:
    group, access = visible_group_and_access(user, group_id)
    if not policy.can_list_members(group, access):
        raise Forbidden(_("Only members can see who belongs to this group."))
    return group


@cache
def _first_members():
    return (
        select(User.name, Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id == bindparam("group_id"))
        .order_by(Membership.role.desc(), Membership.joined_at, Membership.user_id)
        .limit(bindparam("limit", type_=Integer))
    )


def mention_suggestions_page(
    user: User, group_id: int, text: str | None, pagination_parameters
) -> list[dict]:
    """One page of the group's members whose handle, name or a word of their name begins
    with `text` (all of them without it), in name order: whom a post there may mention."""
    group, access = visible_group_and_access(user, group_id)
    if not policy.can_see_mention_suggestions(user, group, access):
        raise Forbidden(_("Only members who may post in this group can look up whom to mention."))
    params = {"group_id": group.id}
    text = (text or "").strip().lstrip("@").lower()
    if text:
        prefix = _escape_like(text) + "%"
        params.update(prefix=prefix, word_prefix="% " + prefix)
    return paginate(_mention_suggestions(bool(text)), pagination_parameters, "mappings", params)


@cache
def _mention_suggestions(by_text: bool) -> Listing:
    """Built once for each shape: the active members of `group_id`, in name order, those
    beginning with `prefix` (handle or name) or `word_prefix` (a later word of the name)."""
    statement = (
        select(User.id, User.handle, User.name, User.organisation, User.job_title)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == bindparam("group_id"), User.deactivated_at.is_(None))
    )
    if by_text:
        name = func.lower(User.name)
        statement = statement.where(
            or_(
                User.handle.like(bindparam("prefix"), escape="\\"),
                name.like(bindparam("prefix"), escape="\\"),
                name.like(bindparam("word_prefix"), escape="\\"),
            )
        )
    return Listing(statement.order_by(User.name, User.id))


def _add_member(group: Group, user_id: int, role: str = "member") -> None:
    db.session.add(Membership(group_id=group.id, user_id=user_id, role=role))
    for model in (Invitation, JoinRequest):
        db.session.execute(
            delete(model).where(model.group_id == group.id, model.user_id == user_id)
        )
    group.member_count = Group.member_count + 1


def _remove_member(group: Group, user_id: int) -> None:
    db.session.execute(
        delete(Membership).where(Membership.group_id == group.id, Membership.user_id == user_id)
    )
    group.member_count = Group.member_count - 1


def recount_group_content(connection) -> int:
    """Set every group's counts of posts, files and live sessions from the rows (for bulk
    writers, and to repair counts written around the services); returns how many groups'
    counts were wrong."""
    from hub.forum.models import Post
    from hub.library.models import LibraryFile
    from hub.live.models import LiveSession

    columns = (Group.id, Group.post_count, Group.file_count, Group.session_count)
    before = set(connection.execute(select(*columns)))
    connection.execute(
        update(Group).values(
            {
                column: select(func.count()).where(model.group_id == Group.id).scalar_subquery()
                for column, model in (
                    ("post_count", Post),
                    ("file_count", LibraryFile),
                    ("session_count", LiveSession),
                )
            }
        )
    )
    return len(set(connection.execute(select(*columns))) - before)


def count_content(group: Group, kind: str, change: int) -> None:
    """Add `change` to the group's count of posts, files or live sessions (`kind`: post,
    file, session), in the caller's transaction; in SQL, so that two writers at once both
    count."""
    name = f"{kind}_count"
    setattr(group, name, getattr(Group, name) + change)


def _owner_count(group_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.group_id == group_id, Membership.role == "owner")
    )


# --- Moderation: requests, invitations, roles, removals --------------------------------


def join_requests_of(user: User, group_id: int):
    group, access = visible_group_and_access(user, group_id)
    if not policy.can_handle_join_requests(group, access):
        raise Forbidden(_("Only the group's owners and moderators can see requests to join."))
    return (
        select(JoinRequest)
        .where(JoinRequest.group_id == group.id)
        .order_by(JoinRequest.created_at, JoinRequest.user_id)
    )


def _pending_request(user: User, group_id: int, requester_id: int) -> tuple[Group, JoinRequest]:
    group, access = visible_group_and_access(user, group_id, lock=True)
    if not policy.can_handle_join_requests(group, access):
        raise Forbidden(_("Only the group's owners and moderators can handle requests to join."))
    request = db.session.get(JoinRequest, (group.id, requester_id))
    if request is None:
        raise NotFound(_("This person has no pending request to join this group."))
    return group, request


def approve_join_request(user: User, group_id: int, requester_id: int) -> str:
    group, _request = _pending_request(user, group_id, requester_id)
    _add_member(group, requester_id)
    record(user, "request.approved", "person", requester_id, group.id)
    notify(
        requester_id,
        "join_approved",
        {"group": _group_ref(group), "user": _ref(user)},
        group_id=group.id,
    )
    db.session.commit()
    return "member"


def decline_join_request(user: User, group_id: int, requester_id: int) -> None:
    group, request = _pending_request(user, group_id, requester_id)
    db.session.delete(request)
    record(user, "request.declined", "person", requester_id, group.id)
    db.session.commit()


def invite(user: User, group_id: int, invitee_id: int) -> Invitation:
    """Invite a person; inviting someone who was banned lifts the ban."""
    group, access = visible_group_and_access(user, group_id, lock=True)
    if not policy.can_invite_to_group(group, access):
        raise Forbidden(
            _(
                "Only the group's owners and moderators can invite people, "
                "and not to an archived group."
            ),
        )
    invitee = db.session.get(User, invitee_id)
    if invitee is None or not invitee.is_active:
        raise Invalid(
            _("There is no person with id %(id)s.", id=invitee_id),
            errors={"json": {"user_id": [_("Unknown person.")]}},
        )
    if db.session.get(Membership, (group.id, invitee.id)) is not None:
        raise Conflict(_("This person is already a member of the group."))
    invitation = db.session.get(Invitation, (group.id, invitee.id))
    if invitation is None:
        lifted = db.session.execute(
            delete(GroupBan).where(GroupBan.group_id == group.id, GroupBan.user_id == invitee.id)
        ).rowcount
        if lifted:
            record(user, "ban.lifted", "person", invitee.id, group.id, {"by_invitation": True})
        invitation = Invitation(group_id=group.id, user_id=invitee.id, invited_by_id=user.id)
        db.session.add(invitation)
        record(user, "invitation.created", "person", invitee.id, group.id)
        # No group_id on the notification: the invitee cannot read the group yet.
        notify(invitee.id, "invitation", {"group": _group_ref(group), "user": _ref(user)})
        db.session.commit()
    return invitation


def change_member_role(user: User, group_id: int, member_id: int, role: str) -> Membership:
    group, access = visible_group_and_access(user, group_id, lock=True)
    if not policy.can_change_member_roles(group, access):
        raise Forbidden(_("Only the group's owners can change members' roles."))
    membership = db.session.get(Membership, (group.id, member_id))
    if membership is None:
        raise NotFound(_("This person is not a member of this group."))
    if membership.role == "owner" and role != "owner" and _owner_count(group.id) == 1:
        raise Conflict(_("This is the group's last owner: make another member an owner first."))
    if membership.role != role:
        record(
            user,
            "member.role_changed",
            "person",
            member_id,
            group.id,
            {"role": role, "previous_role": membership.role},
        )
    membership.role = role
    db.session.commit()
    return membership


def remove_member(user: User, group_id: int, member_id: int, ban: bool) -> None:
    """Remove a member, and with `ban` refuse their return (non-members may be banned too)."""
    group, access = visible_group_and_access(user, group_id, lock=True)
    if not policy.can_moderate_group(group, access):
        raise Forbidden(_("Only the group's owners and moderators can remove members."))
    if member_id == user.id:
        raise Invalid(_("To leave the group yourself, use POST /api/v1/groups/{id}/leave."))
    membership = db.session.get(Membership, (group.id, member_id))
    if membership is not None:
        if not policy.can_remove_member(group, access, membership.role):
            raise Forbidden(_("Only an owner can remove another owner."))
        if membership.role == "owner" and _owner_count(group.id) == 1:
            raise Conflict(_("This is the group's last owner: make another member an owner first."))
        _remove_member(group, member_id)
        if not ban:
            record(user, "member.removed", "person", member_id, group.id)
    elif not ban:
        raise NotFound(_("This person is not a member of this group."))
    elif db.session.get(User, member_id) is None:
        raise NotFound(_("There is no person with this id."))
    if ban:
        for model in (Invitation, JoinRequest):
            db.session.execute(
                delete(model).where(model.group_id == group.id, model.user_id == member_id)
            )
        if db.session.get(GroupBan, (group.id, member_id)) is None:
            db.session.add(GroupBan(group_id=group.id, user_id=member_id, banned_by_id=user.id))
            detail = {"was_member": membership is not None}
            record(user, "member.banned", "person", member_id, group.id, detail)
    db.session.commit()
    group_access_lost(group.id, member_id)


def lift_ban(user: User, group_id: int, banned_id: int) -> None:
    """Lift a ban: the person may join again as the group's visibility allows."""
    _withdraw(
        user,
        group_id,
        GroupBan,
        banned_id,
        policy.can_lift_ban,
        _("Only the group's owners and moderators can lift bans."),
        _("This person is not banned from this group."),
        "ban.lifted",
    )


def cancel_invitation(user: User, group_id: int, invitee_id: int) -> None:
    """Withdraw a pending invitation: the person's join then gets what anyone's would."""
    _withdraw(
        user,
        group_id,
        Invitation,
        invitee_id,
        policy.can_cancel_invitation,
        _("Only the group's owners and moderators can cancel invitations."),
        _("This person has no pending invitation to this group."),
        "invitation.cancelled",
    )


def _withdraw(
    user: User, group_id: int, model, person_id: int, rule, refused: str, missing: str, action: str
) -> None:
    """Delete a person's ban or invitation (`model`) as `rule` allows, and audit it."""
    group, access = visible_group_and_access(user, group_id, lock=True)
    if not rule(group, access):
        raise Forbidden(refused)
    row = db.session.get(model, (group.id, person_id))
    if row is None:
        raise NotFound(missing)
    db.session.delete(row)
    record(user, action, "person", person_id, group.id)
    db.session.commit()


def _group_ref(group: Group) -> dict:
    return {"id": group.id, "name": group.name, "slug": group.slug}


def _ref(user: User) -> dict:
    return {"id": user.id, "name": user.name}
