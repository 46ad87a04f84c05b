"""Subject groups API: the directory, membership, requests, invitations, roles and bans."""

from flask_login import current_user

from hub.blueprint import Blueprint
from hub.db import paginate
from hub.groups import access, service
from hub.groups.schemas import (
    GroupCreateSchema,
    GroupQuerySchema,
    GroupSchema,
    GroupUpdateSchema,
    InvitationCreateSchema,
    InvitationSchema,
    JoinRequestSchema,
    MemberSchema,
    MembershipStatusSchema,
    MentionSuggestionQuerySchema,
    MentionSuggestionSchema,
    RemoveMemberQuerySchema,
    RoleChangeSchema,
)

blp = Blueprint("groups", __name__, url_prefix="/api/v1", description="Subject groups")


@blp.route("/groups", methods=["POST"])
@blp.arguments(GroupCreateSchema)
@blp.response(201, GroupSchema)
def create_group(data):
    """Create a group; you are its owner."""
    return service.create_group(current_user, data)


@blp.route("/groups", methods=["GET"])
@blp.arguments(GroupQuerySchema, location="query")
@blp.response(200, GroupSchema(many=True))
@blp.paginate()
def list_groups(filters, pagination_parameters):
    """The group directory (hidden groups only to their members), or `member=me`: yours."""
    return service.directory_page(current_user, filters, pagination_parameters)


@blp.route("/groups/<int:group_id>", methods=["GET"])
@blp.response(200, GroupSchema)
def get_group(group_id):
    """A group; 404 when it is hidden from you."""
    return access.get_visible_group(current_user, group_id)


@blp.route("/groups/<int:group_id>", methods=["PATCH"])
@blp.arguments(GroupUpdateSchema)
@blp.response(200, GroupSchema)
def update_group(changes, group_id):
    """Owners and moderators edit; only owners change the visibility."""
    return service.update_group(current_user, group_id, changes)


@blp.route("/groups/<int:group_id>", methods=["DELETE"])
@blp.response(204)
def archive_group(group_id):
    """Archive the group (owners and site admins)."""
    service.archive_group(current_user, group_id)


@blp.route("/groups/<int:group_id>/join", methods=["POST"])
@blp.response(200, MembershipStatusSchema)
@blp.alt_response(
    202,
    schema=MembershipStatusSchema,
    description="Restricted group: your request waits for a moderator.",
)
def join_group(group_id):
    """Join: 200 member (open, or invited), 202 pending (restricted)."""
    status = service.join_group(current_user, group_id)
    return {"status": status}, 200 if status == "member" else 202


@blp.route("/groups/<int:group_id>/leave", methods=["POST"])
@blp.response(204)
def leave_group(group_id):
    """Leave the group; 409 for its last owner."""
    service.leave_group(current_user, group_id)


@blp.route("/groups/<int:group_id>/members", methods=["GET"])
@blp.response(200, MemberSchema(many=True))
@blp.paginate()
def list_members(group_id, pagination_parameters):
    """The members with their roles (for those who may read the group's content)."""
    return paginate(service.members_of(current_user, group_id), pagination_parameters)


@blp.route("/groups/<int:group_id>/mention-suggestions", methods=["GET"])
@blp.arguments(MentionSuggestionQuerySchema, location="query")
@blp.response(200, MentionSuggestionSchema(many=True))
@blp.paginate()
def list_mention_suggestions(query, group_id, pagination_parameters):
    """Whom a post in this group may mention: its members whose handle or name begins with
    `q`, in name order (for members who may post there)."""
    return service.mention_suggestions_page(
        current_user, group_id, query["q"], pagination_parameters
    )


@blp.route("/groups/<int:group_id>/members/<int:user_id>", methods=["PATCH"])
@blp.arguments(RoleChangeSchema)
@blp.response(200, MemberSchema)
def change_member_role(data, group_id, user_id):
    """Owners change a member's role; the group always keeps an owner."""
    return service.change_member_role(current_user, group_id, user_id, data["role"])


@blp.route("/groups/<int:group_id>/members/<int:user_id>", methods=["DELETE"])
@blp.arguments(RemoveMemberQuerySchema, location="query")
@blp.response(204)
def remove_member(query, group_id, user_id):
    """Moderators remove a member, or with `ban=true` also refuse their return."""
    service.remove_member(current_user, group_id, user_id, query["ban"])


@blp.route("/groups/<int:group_id>/requests", methods=["GET"])
@blp.response(200, JoinRequestSchema(many=True))
@blp.paginate()
def list_join_requests(group_id, pagination_parameters):
    """Requests to join, oldest first (owners and moderators)."""
    return paginate(service.join_requests_of(current_user, group_id), pagination_parameters)


@blp.route("/groups/<int:group_id>/requests/<int:user_id>/approve", methods=["POST"])
@blp.response(200, MembershipStatusSchema)
def approve_join_request(group_id, user_id):
    """Let the person in; they are told."""
    return {"status": service.approve_join_request(current_user, group_id, user_id)}


@blp.route("/groups/<int:group_id>/requests/<int:user_id>/decline", methods=["POST"])
@blp.response(204)
def decline_join_request(group_id, user_id):
    """Decline a request to join."""
    service.decline_join_request(current_user, group_id, user_id)


@blp.route("/groups/<int:group_id>/invitations", methods=["POST"])
@blp.arguments(InvitationCreateSchema)
@blp.response(201, InvitationSchema)
def invite(data, group_id):
    """Invite a person (owners and moderators); they join with POST /groups/{id}/join."""
    return service.invite(current_user, group_id, data["user_id"])


@blp.route("/groups/<int:group_id>/invitations/<int:user_id>", methods=["DELETE"])
@blp.response(204)
def cancel_invitation(group_id, user_id):
    """Cancel a pending invitation (whoever may invite)."""
    service.cancel_invitation(current_user, group_id, user_id)


@blp.route("/groups/<int:group_id>/bans/<int:user_id>", methods=["DELETE"])
@blp.response(204)
def lift_ban(group_id, user_id):
    """Lift a ban (owners and moderators); the person may then join as anyone may."""
    service.lift_ban(current_user, group_id, user_id)
