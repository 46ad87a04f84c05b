"""The Socket.IO namespace `/live`: thin handlers that authenticate, validate, call the
live service and acknowledge.

- Connect: `auth={"token": ...}` (or an `Authorization: Bearer` header), else the session
  cookie, accepted only from an Origin on HUB_ALLOWED_ORIGINS (against cross-site
  websocket hijacking). Anything else is refused with ConnectionRefusedError.
- Every client event is answered `{"ok": true, ...}` or `{"ok": false, "error": {"code",
  "message"}}`, whatever happens: a client never waits for an answer that cannot come.
- The person is read afresh and `hub.policy` asked at every event (in the service); a
  person who may no longer follow a session is taken out of its rooms. A sweep every
  two seconds does the same for those who send nothing.
- Presence (`{count}` of people in the room) goes out at most once a second a session.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from flask import current_app, request
from flask_login import current_user
from flask_socketio import join_room, leave_room
from marshmallow import Schema, ValidationError
from sqlalchemy.orm import lazyload
from werkzeug.exceptions import HTTPException

from hub import policy
from hub.auth import service as auth_service
from hub.auth.models import User
from hub.extensions import db, socketio
from hub.live import service
from hub.live.runtime import runtime
from hub.live.schemas import (
    AnswerSchema,
    AskSchema,
    ChatSchema,
    JoinSchema,
    ModerateSchema,
    SessionRefSchema,
    VoteSchema,
)
from hub.live.service import EVENT, NAMESPACE

log = logging.getLogger("hub.live")

ERROR_CODES = {
    400: "invalid",
    401: "forbidden",
    403: "forbidden",
    404: "not_found",
    409: "not_live",
    413: "invalid",
    422: "invalid",
    429: "rate_limited",
}
LOOP_INTERVAL = 0.25  # seconds
SWEEP_EVERY = 8  # loop turns: a sweep of who may still follow each session every 2 s


# --- Connecting ----------------------------------------------------------------------


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth=None):
    user = _authenticate(auth)
    runtime().connect(request.sid, user.id)
    _start_loop()


@socketio.on("disconnect", namespace=NAMESPACE)
def on_disconnect(*_reason):
    runtime().disconnect(request.sid)


def _authenticate(auth) -> User:
    token = auth.get("token") if isinstance(auth, dict) else None
    if token is None:
        scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
        token = bearer.strip() if scheme.lower() == "bearer" else None
    if token is not None:
        # Tokens are sent deliberately by programs, never by a browser on its own: no
        # Origin check.
        user = auth_service.user_for_token(str(token)) if token else None
        if user is None:
            _refuse("This token is not valid; make one with POST /api/v1/auth/tokens.")
        return user
    if current_user.is_authenticated:
        if not _origin_allowed():
            _refuse(
                "Cookie sign-in is accepted only from this site's own pages; programs "
                "connect with auth={'token': ...}."
            )
        return db.session.get(User, current_user.id)
    _refuse("Sign in first: connect with auth={'token': '<bearer token>'} or a session cookie.")


def _origin_allowed() -> bool:
    allowed = {o.rstrip("/") for o in current_app.config["HUB_ALLOWED_ORIGINS"]}
    return policy.may_use_cookie_on_live(
        request.headers.get("Origin"), allowed, request.headers.get("Sec-Fetch-Site")
    )


def transport_origin_check(app) -> Callable[[str, dict], bool]:
    """Engine.IO's `cors_allowed_origins`: asks `policy.may_open_live_transport`."""
    allowed = {o.rstrip("/") for o in app.config["HUB_ALLOWED_ORIGINS"]}
    cookie = app.config["SESSION_COOKIE_NAME"] + "="

    def check(origin: str | None, environ: dict) -> bool:
        if not origin:  # not a cross-origin request: nothing to check
            return False
        scheme = environ.get("HTTP_X_FORWARDED_PROTO", environ.get("wsgi.url_scheme", "http"))
        host = environ.get("HTTP_X_FORWARDED_HOST", environ.get("HTTP_HOST", ""))
        own = {
            f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}",
            f"{scheme.split(',')[0].strip()}://{host.split(',')[0].strip()}",
        }
        cookies = environ.get("HTTP_COOKIE", "")
        carries_cookie = any(part.strip().startswith(cookie) for part in cookies.split(";"))
        return policy.may_open_live_transport(origin, allowed, own, carries_cookie)

    return check


def without_websocket_compression(wsgi_app, path: str = "/socket.io"):
    """WSGI middleware: live websockets are opened without permessage-deflate.

    simple-websocket accepts compression whenever a client offers it (browsers always
    do), and then every event is deflated once per recipient, each connection with its
    own zlib state: measured here, framing a 390-byte live event took 22.7 us with it
    and 3.3 us without, so 1,000 browsers in a session would cost the worker about 0.2 s
    of CPU a second at ten events a second, and some hundreds of KB of memory per
    connection, to save a few hundred bytes per event. Engine.IO's own server leaves
    compression off by default for the same reason. Removing the offer from the upgrade
    request makes the handshake decline it; clients then send and receive plain frames.
    """

    def app(environ, start_response):
        if "HTTP_SEC_WEBSOCKET_EXTENSIONS" in environ and environ.get("PATH_INFO", "").startswith(
            path
        ):
            del environ["HTTP_SEC_WEBSOCKET_EXTENSIONS"]
        return wsgi_app(environ, start_response)

    return app


def _refuse(message: str):
    raise ConnectionRefusedError({"code": "unauthorized", "message": message})


# --- Client events -------------------------------------------------------------------


def _on(name: str, schema: Schema, action: Callable[[User, str, dict], dict]) -> None:
    def handle(payload=None, *_extra):
        return _answer(schema, action, payload)

    handle.__name__ = f"on_{name}"
    socketio.on_event(name, handle, namespace=NAMESPACE)


def _answer(schema: Schema, action, payload) -> dict:
    """Run one client event and build its acknowledgement, whatever happens."""
    sid = request.sid
    data: dict = {}
    user = None
    try:
        user_id = runtime().user_of(sid)
        # Read afresh at every event; the expertise list is not needed for any of them.
        user = (
            db.session.get(User, user_id, options=[lazyload(User.expertise)])
            if user_id is not None
            else None
        )
        if user is None or not user.is_active:
            return _error("forbidden", "Your account can no longer take part; sign in again.")
        data = schema.load(payload if payload is not None else {})
        return {"ok": True, **action(user, sid, data)}
    except ValidationError as error:
        db.session.rollback()
        return _error("invalid", _first_message(error.messages), errors=error.messages)
    except HTTPException as error:
        db.session.rollback()
        code = ERROR_CODES.get(error.code or 0, "invalid")
        body = getattr(error, "data", None) or {}
        extra = {}
        if code == "rate_limited":
            extra["retry_after"] = int((body.get("headers") or {}).get("Retry-After", 1))
        if code in ("forbidden", "not_found") and user is not None and "session_id" in data:
            _evict_if_gone(sid, data["session_id"], user.id)
        return _error(code, body.get("message") or error.description, **extra)
    except Exception:
        db.session.rollback()
        reference = uuid.uuid4().hex[:12]
        log.exception("live event failed", extra={"reference": reference})
        return _error(
            "internal",
            f"Something went wrong on our side and nothing was changed. If it happens "
            f"again, report reference {reference}.",
        )


def _error(code: str, message: str, **extra) -> dict:
    return {"ok": False, "error": {"code": code, "message": message, **extra}}


def _first_message(messages) -> str:
    if isinstance(messages, dict):
        for key, value in messages.items():
            text = _first_message(value)
            return text if key == "_schema" else f"{key}: {text}"
    if isinstance(messages, list) and messages:
        return _first_message(messages[0])
    return str(messages) if messages else "The event's data is not valid."


def join(user: User, sid: str, data: dict) -> dict:
    """Enter the session's rooms; with since_seq, re-send what was missed, in order."""
    session_id = data["session_id"]
    attendance = service.attend(user, session_id)
    with runtime().session_lock(session_id):
        # Under the lock no event of this process can be sent between the state read
        # here and the room membership, so the replay comes before any new event.
        join_room(service.room(session_id))
        join_room(service.person_room(session_id, user.id))
        if attendance.moderator:
            join_room(service.moderators_room(session_id))
        else:
            leave_room(service.moderators_room(session_id))
        state = service.state_for(attendance)
        if data["since_seq"] is not None:
            for event in service.events_after(session_id, data["since_seq"], state["seq"]):
                socketio.server.emit(EVENT, event, to=sid, namespace=NAMESPACE, ignore_queue=True)
    runtime().enter(sid, session_id)
    return state


def leave(user: User, sid: str, data: dict) -> dict:
    _leave_rooms(sid, data["session_id"], user.id)
    return {}


def ask(user: User, _sid: str, data: dict) -> dict:
    question = service.ask(user, data["session_id"], data["text"], data["anonymous"])
    return {"question": question}


def vote(user: User, _sid: str, data: dict) -> dict:
    return {"votes": service.vote(user, data["session_id"], data["question_id"], up=True)}


def unvote(user: User, _sid: str, data: dict) -> dict:
    return {"votes": service.vote(user, data["session_id"], data["question_id"], up=False)}


def answer(user: User, _sid: str, data: dict) -> dict:
    question = service.answer(user, data["session_id"], data["question_id"], data["text"])
    return {"question": question}


def moderate(user: User, _sid: str, data: dict) -> dict:
    question = service.moderate(user, data["session_id"], data["question_id"], data["action"])
    return {"question": question}


def chat(user: User, _sid: str, data: dict) -> dict:
    return {"message": service.chat(user, data["session_id"], data["text"])}


_on("join", JoinSchema(), join)
_on("leave", SessionRefSchema(), leave)
_on("ask", AskSchema(), ask)
_on("vote", VoteSchema(), vote)
_on("unvote", VoteSchema(), unvote)
_on("answer", AnswerSchema(), answer)
_on("moderate", ModerateSchema(), moderate)
_on("chat", ChatSchema(), chat)


# --- Leaving rooms, presence and the sweep -------------------------------------------


def _leave_rooms(sid: str, session_id: int, user_id: int) -> None:
    for name in (
        service.room(session_id),
        service.moderators_room(session_id),
        service.person_room(session_id, user_id),
    ):
        socketio.server.leave_room(sid, name, namespace=NAMESPACE)
    runtime().exit(sid, session_id)


def _evict_if_gone(sid: str, session_id: int, user_id: int) -> None:
    """Take a person out of a session's rooms once they may no longer follow it."""
    if user_id not in service.may_still_attend(session_id, {user_id}):
        _leave_rooms(sid, session_id, user_id)


def _start_loop() -> None:
    state = runtime()
    if state.loop_started:
        return
    state.loop_started = True
    socketio.start_background_task(_live_loop, current_app._get_current_object())


def _live_loop(app) -> None:
    """Per process: presence events, at most one a second a session, and the sweep."""
    state = runtime(app)
    turn = 0
    while not state.stopped.is_set():
        socketio.sleep(LOOP_INTERVAL)
        turn += 1
        with app.app_context():
            try:
                for session_id in state.presence_due():
                    event = service.presence_event(session_id, state.presence_count(session_id))
                    if event is not None:
                        service.send([event])
                if turn % SWEEP_EVERY == 0:
                    _sweep(state)
            except Exception:
                log.exception("live loop turn failed; carrying on")
            finally:
                db.session.remove()


def run_sweep(app) -> None:
    """Run one sweep now, as the live loop does every two seconds (tests call this rather
    than wait for the loop)."""
    with app.app_context():
        try:
            _sweep(runtime(app))
        finally:
            db.session.remove()


def _sweep(state) -> None:
    for session_id in state.local_sessions():
        connected = state.sids_in(session_id)
        allowed = service.may_still_attend(session_id, set(connected.values()))
        for sid, user_id in connected.items():
            if user_id not in allowed:
                _leave_rooms(sid, session_id, user_id)
