"""People API: your profile, the directory and peer finder, connections and blocks."""

from flask_login import current_user

from hub.auth.schemas import MeSchema, PublicUserSchema
from hub.blueprint import Blueprint
from hub.db import paginate
from hub.people import service
from hub.people.schemas import (
    BlockSchema,
    ConnectionQuerySchema,
    ConnectionSchema,
    ConnectionStatusSchema,
    PeopleQuerySchema,
    ProfileUpdateSchema,
)

blp = Blueprint("people", __name__, url_prefix="/api/v1", description="People and networks")


@blp.route("/me", methods=["GET"])
@blp.response(200, MeSchema)
def get_me():
    """Your own profile, with your email address."""
    # The user itself: dumping through the proxy would pay for its lookup on every field.
    return current_user._get_current_object()


@blp.route("/me", methods=["PATCH"])
@blp.arguments(ProfileUpdateSchema)
@blp.response(200, MeSchema)
def update_me(changes):
    """Edit your profile; only the fields you send change."""
    return service.update_profile(current_user, changes)


@blp.route("/people", methods=["GET"])
@blp.arguments(PeopleQuerySchema, location="query")
@blp.response(200, PublicUserSchema(many=True))
@blp.paginate()
def list_people(filters, pagination_parameters):
    """The people directory and peer finder."""
    return service.directory_page(filters, pagination_parameters)


@blp.route("/people/<int:person_id>", methods=["GET"])
@blp.response(200, PublicUserSchema)
def get_person(person_id):
    """A public profile."""
    return service.get_person(person_id)


@blp.route("/people/<int:person_id>/connect", methods=["POST"])
@blp.response(202, ConnectionStatusSchema)
@blp.alt_response(
    200,
    schema=ConnectionStatusSchema,
    description="Already connected, or they had asked you: now connected.",
)
def connect(person_id):
    """Ask to connect: 202 pending, or 200 connected when they had already asked you."""
    status = service.connect(current_user, person_id)
    return {"status": status}, 200 if status == "connected" else 202


@blp.route("/me/connections", methods=["GET"])
@blp.arguments(ConnectionQuerySchema, location="query")
@blp.response(200, ConnectionSchema(many=True))
@blp.paginate()
def list_connections(query, pagination_parameters):
    """Your network: connected people, or requests in or out."""
    rows = paginate(service.connections(current_user, query["status"]), pagination_parameters)
    return service.connection_views(current_user, rows)


@blp.route("/me/connections/<int:user_id>/accept", methods=["POST"])
@blp.response(200, ConnectionStatusSchema)
def accept_connection(user_id):
    """Accept a request to connect."""
    return {"status": service.accept(current_user, user_id)}


@blp.route("/me/connections/<int:user_id>", methods=["DELETE"])
@blp.response(204)
def remove_connection(user_id):
    """Decline a request, cancel yours, or remove a connection."""
    service.remove_connection(current_user, user_id)


@blp.route("/people/<int:person_id>/block", methods=["POST"])
@blp.response(204)
def block_person(person_id):
    """Block a person: they can no longer message you or ask to connect."""
    service.block(current_user, person_id)


@blp.route("/people/<int:person_id>/block", methods=["DELETE"])
@blp.response(204)
def unblock_person(person_id):
    """Unblock a person."""
    service.unblock(current_user, person_id)


@blp.route("/me/blocks", methods=["GET"])
@blp.response(200, BlockSchema(many=True))
@blp.paginate()
def list_blocks(pagination_parameters):
    """The people you have blocked."""
    rows = paginate(service.blocks(current_user), pagination_parameters)
    return service.block_views(rows)
