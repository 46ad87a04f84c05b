"""Direct messages API."""

from flask_login import current_user

from hub.blueprint import Blueprint
from hub.db import paginate
from hub.messages import service
from hub.messages.schemas import (
    ConversationCreateSchema,
    ConversationSchema,
    MessageCreateSchema,
    MessageSchema,
)

blp = Blueprint("messages", __name__, url_prefix="/api/v1", description="Direct messages")


@blp.route("/conversations", methods=["POST"])
@blp.arguments(ConversationCreateSchema)
@blp.response(201, ConversationSchema)
def start_conversation(data):
    """Send a message to these people: their conversation continues, or a new one starts."""
    conversation = service.start_conversation(current_user, data["participant_ids"], data["text"])
    return service.conversation_item(current_user, conversation.id)


@blp.route("/conversations", methods=["GET"])
@blp.response(200, ConversationSchema(many=True))
@blp.paginate()
def list_conversations(pagination_parameters):
    """Your conversations, the most recently active first."""
    return service.conversation_page(current_user, pagination_parameters)


@blp.route("/conversations/<int:conversation_id>/messages", methods=["GET"])
@blp.response(200, MessageSchema(many=True))
@blp.paginate()
def list_messages(conversation_id, pagination_parameters):
    """A conversation's messages, oldest first; 404 unless you are in it."""
    return paginate(service.messages_of(current_user, conversation_id), pagination_parameters)


@blp.route("/conversations/<int:conversation_id>/messages", methods=["POST"])
@blp.arguments(MessageCreateSchema)
@blp.response(201, MessageSchema)
def post_message(data, conversation_id):
    """Add a message to a conversation you are in."""
    return service.post_message(current_user, conversation_id, data["text"])
