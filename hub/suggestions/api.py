"""Suggestions API: ideas for a group, votes, and the moderators' decisions.

Votes are idempotent: POST /vote when you have voted, or DELETE /vote when you have not,
changes nothing and answers 200 with the suggestion as it is. Voting closes (409) once a
suggestion is accepted, declined or implemented.
"""

from flask_login import current_user

from hub.blueprint import Blueprint
from hub.db import paginate
from hub.suggestions import service
from hub.suggestions.schemas import (
    SuggestionCreateSchema,
    SuggestionQuerySchema,
    SuggestionSchema,
    SuggestionStatusSchema,
)

blp = Blueprint("suggestions", __name__, url_prefix="/api/v1", description="Group suggestions")


@blp.route("/groups/<int:group_id>/suggestions", methods=["GET"])
@blp.arguments(SuggestionQuerySchema, location="query")
@blp.response(200, SuggestionSchema(many=True))
@blp.paginate()
def list_suggestions(query, group_id, pagination_parameters):
    """The group's suggestions with `votes`, `voted` (yours) and `status`."""
    statement = service.suggestions_of(current_user, group_id, query["sort"], query.get("status"))
    return service.with_votes(paginate(statement, pagination_parameters, "rows"))


@blp.route("/groups/<int:group_id>/suggestions", methods=["POST"])
@blp.arguments(SuggestionCreateSchema)
@blp.response(201, SuggestionSchema)
def create_suggestion(data, group_id):
    """Suggest an idea to the group (members); it starts `open`."""
    return service.create_suggestion(current_user, group_id, data["title"], data["body"])


@blp.route("/suggestions/<int:suggestion_id>", methods=["GET"])
@blp.response(200, SuggestionSchema)
def get_suggestion(suggestion_id):
    """A suggestion."""
    return service.get_suggestion(current_user, suggestion_id)


@blp.route("/suggestions/<int:suggestion_id>", methods=["PATCH"])
@blp.arguments(SuggestionStatusSchema)
@blp.response(200, SuggestionSchema)
def change_status(data, suggestion_id):
    """Move a suggestion along its workflow (moderators); its author is notified.

    A move the workflow does not allow answers 409 and names the allowed ones.
    """
    return service.change_status(current_user, suggestion_id, data["status"])


@blp.route("/suggestions/<int:suggestion_id>/vote", methods=["POST"])
@blp.response(200, SuggestionSchema)
def vote(suggestion_id):
    """Vote for a suggestion (members, one vote each); voting again changes nothing."""
    return service.vote(current_user, suggestion_id)


@blp.route("/suggestions/<int:suggestion_id>/vote", methods=["DELETE"])
@blp.response(200, SuggestionSchema)
def unvote(suggestion_id):
    """Withdraw your vote; 200 with the suggestion, whether or not you had voted."""
    return service.unvote(current_user, suggestion_id)
