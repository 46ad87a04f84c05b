"""Live sessions API: schedule, list, read, start and end sessions; questions over REST for
clients without websockets (the same rules and the same events as the socket's `ask`).

The live channel itself is Socket.IO, namespace `/live` (hub/live/events.py).
"""

from flask_login import current_user

from hub.blueprint import Blueprint
from hub.db import paginate
from hub.live import service
from hub.live.schemas import (
    LiveQuestionSchema,
    LiveSessionCreateSchema,
    LiveSessionDetailSchema,
    QuestionCreateSchema,
    QuestionQuerySchema,
)

blp = Blueprint("live", __name__, url_prefix="/api/v1", description="Live sessions")


@blp.route("/groups/<int:group_id>/live-sessions", methods=["POST"])
@blp.arguments(LiveSessionCreateSchema)
@blp.response(201, LiveSessionDetailSchema)
def schedule_session(data, group_id):
    """Schedule a session of the group (owners and moderators); its status is `scheduled`."""
    return service.with_questions(
        current_user, [service.schedule_session(current_user, group_id, data)]
    )[0]


@blp.route("/groups/<int:group_id>/live-sessions", methods=["GET"])
@blp.response(200, LiveSessionDetailSchema(many=True))
@blp.paginate()
def list_sessions(group_id, pagination_parameters):
    """The group's sessions, latest first; started ones with their `seq` and questions."""
    rows = paginate(service.sessions_of(current_user, group_id), pagination_parameters)
    return service.with_questions(current_user, rows)


@blp.route("/live-sessions/<int:session_id>", methods=["GET"])
@blp.response(200, LiveSessionDetailSchema)
def get_session(session_id):
    """A session: its status and, once started, `seq` and the questions you may see."""
    return service.get_session(current_user, session_id)


@blp.route("/live-sessions/<int:session_id>/start", methods=["POST"])
@blp.response(200, LiveSessionDetailSchema)
def start_session(session_id):
    """Go live (moderators and panelists); the group's members are notified."""
    return service.start_session(current_user, session_id)


@blp.route("/live-sessions/<int:session_id>/end", methods=["POST"])
@blp.response(200, LiveSessionDetailSchema)
def end_session(session_id):
    """End the session (moderators and panelists); its transcript becomes a forum thread."""
    return service.end_session(current_user, session_id)


@blp.route("/live-sessions/<int:session_id>/questions", methods=["GET"])
@blp.arguments(QuestionQuerySchema, location="query")
@blp.response(200, LiveQuestionSchema(many=True))
@blp.paginate()
def list_questions(query, session_id, pagination_parameters):
    """The questions you may see: `top` (pinned, then most voted) or `new`."""
    rows = paginate(
        service.questions_of(current_user, session_id, query["sort"]), pagination_parameters
    )
    return [service.question_view(q) for q in rows]


@blp.route("/live-sessions/<int:session_id>/questions", methods=["POST"])
@blp.arguments(QuestionCreateSchema)
@blp.response(201, LiveQuestionSchema)
@blp.alt_response(409, description="The session is not live.")
@blp.alt_response(429, description="Too many questions; see Retry-After.")
def ask_question(data, session_id):
    """Ask a question, as the socket's `ask` does (pending in moderated sessions)."""
    return service.ask(current_user, session_id, data["text"], data["anonymous"])
