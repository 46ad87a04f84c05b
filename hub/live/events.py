"""The Socket.IO namespace `/live`: thin handlers that authenticate, validate, call the
live service and acknowledge.

- Connect: `auth={"token": ...}` (or an `Authorization: Bearer` header), else the session
  cookie, accepted only from an Origin on HUB_ALLOWED_ORIGINS (against cross-site
  websocket hijacking). Anything else is refused with ConnectionRefusedError.
- Every client event is answered `{"ok": true, ...}` or `{"ok": false, "error": {"code",
  "message"}}`, whatever happens: a client never waits for an answer that cannot come.
- The person, and the token or browser session that authenticated the socket, are read
  afresh at every event, and `hub.policy` asked (in the service); a person who may no
  longer follow a session is taken out of its rooms. A sweep every two seconds does the
  same for those who send nothing.
- Revocation (hub.revocation) reaches open sockets at once: a revoked token or session,
  or a deactivated or deleted account, disconnects the sockets it authenticated, on
  every process (through the Socket.IO message queue, in order with the events); a person
  taken out of a group leaves its sessions' rooms.
- Presence (`{count}` of people in the room) goes out at most once a second a session.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import join_room, leave_room
from marshmallow import Schema, ValidationError
from socketio import exceptions as socketio_exceptions
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from hub import policy, revocation
from hub.auth import service as auth_service
from hub.auth import sessions as browser_sessions
from hub.auth.models import User
from hub.errors import Conflict, Forbidden, HubError, NotFound, RateLimited, Unauthorized
from hub.extensions import db, socketio
from hub.live import personal, service
from hub.live.models import LiveSession
from hub.live.runtime import Connection, runtime
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
from hub.revocation import GroupAccessLost, Revocation

log = logging.getLogger("hub.live")

# The hub's errors as acknowledgement codes (anything else: invalid).
ACK_CODES = {
    Unauthorized: "forbidden",
    Forbidden: "forbidden",
    NotFound: "not_found",
    Conflict: "not_live",
    RateLimited: "rate_limited",
}
REFUSAL_CODES = ("unauthorized", "forbidden")  # a refused connection's data.code
LOOP_INTERVAL = 0.25  # seconds
SWEEP_EVERY = 8  # loop turns: a sweep of who may still follow each session every 2 s


# --- Connecting ----------------------------------------------------------------------


def on_connect(auth=None):
    connection = _authenticate(auth)
    runtime().connect(request.sid, connection)
    join_room(personal.room(connection.user_id))  # personal_event: theirs alone
    _start_loop()


def on_disconnect(*_reason):
    runtime().disconnect(request.sid)


def _authenticate(auth) -> Connection:
    """Who connects, and with what: a token, or the browser session's cookie."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if token is None:
        scheme, _space, bearer = request.headers.get("Authorization", "").partition(" ")
        token = bearer.strip() if scheme.lower() == "bearer" else None
    if token is not None:
        # Tokens are sent deliberately by programs, never by a browser on its own: no
        # Origin check.
        user = auth_service.user_for_token(str(token)) if token else None
        if user is None:
            _refuse(_("This token is not valid; make one with POST /api/v1/auth/tokens."))
        return Connection(user.id, token_id=g.token_id)
    if current_user.is_authenticated:
        if not _origin_allowed():
            _refuse(
                _(
                    "Cookie sign-in is accepted only from this site's own pages; programs "
                    "connect with auth={'token': ...}."
                ),
                code="forbidden",
            )
        return Connection(current_user.id, browser_session_id=browser_sessions.current_id())
    _refuse(_("Sign in first: connect with auth={'token': '<bearer token>'} or a session cookie."))


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


def _refuse(message: str, code: str = REFUSAL_CODES[0]):
    """Refuse the connection with a reason the client shows: the JavaScript client's
    `err.message` and `err.data.code` (Python's built-in ConnectionRefusedError would
    lose both on the way)."""
    raise socketio_exceptions.ConnectionRefusedError(message, {"code": code})


# --- Client events -------------------------------------------------------------------


def _on(name: str, schema: Schema, action: Callable[[User, str, dict], dict]) -> None:
    def handle(payload=None, *_extra):
        return _answer(schema, action, payload)

    handle.__name__ = f"on_{name}"
    socketio.on_event(name, handle, namespace=NAMESPACE)


def register_handlers() -> None:
    """Give the Socket.IO extension the namespace's handlers (once per process: they live
    on the extension object, which every app of the process shares), before an app binds
    it, and subscribe to revocations."""
    if _registered:
        return
    _registered.append(True)
    socketio.on_event("connect", on_connect, namespace=NAMESPACE)
    socketio.on_event("disconnect", on_disconnect, namespace=NAMESPACE)
    socketio.on_event("*", on_unknown_event, namespace=NAMESPACE)
    for name, schema, action in CLIENT_EVENTS:
        _on(name, schema, action)
    revocation.subscribe(on_revocation)


_registered: list[bool] = []


def _answer(schema: Schema, action, payload) -> dict:
    """Run one client event and build its acknowledgement, whatever happens."""
    sid = request.sid
    data: dict = {}
    user = None
    try:
        connection = runtime().connection(sid)
        if connection is None or _revoked({sid: connection}):
            _shut_out(sid)
            return _error("forbidden", _("Your sign-in has ended; sign in again to take part."))
        # Read afresh at every event; the expertise list is not needed for any of them.
        user = db.session.get(User, connection.user_id, options=[lazyload(User.expertise)])
        data = schema.load(payload if payload is not None else {})
        return {"ok": True, **action(user, sid, data)}
    except ValidationError as error:
        db.session.rollback()
        return _error("invalid", _first_message(error.messages), errors=error.messages)
    except HubError as error:
        db.session.rollback()
        code = ACK_CODES.get(type(error), "invalid")
        extra = {"retry_after": error.retry_after or 1} if code == "rate_limited" else {}
        if code in ("forbidden", "not_found") and user is not None and "session_id" in data:
            _evict_if_gone(sid, data["session_id"], user.id)
        return _error(code, error.message, **extra)
    except Exception:
        db.session.rollback()
        reference = uuid.uuid4().hex[:12]
        log.exception("live event failed", extra={"reference": reference})
        return _error(
            "internal",
            _(
                "Something went wrong on our side and nothing was changed. If it happens "
                "again, report reference %(reference)s.",
                reference=reference,
            ),
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
    return str(messages) if messages else _("The event's data is not valid.")


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


def on_unknown_event(event, *_payload) -> dict:
    names = ", ".join(name for name, _schema, _action in CLIENT_EVENTS)
    return _error(
        "invalid",
        _(
            "There is no event %(event)r on /live; the events are %(names)s.",
            event=str(event)[:60],
            names=names,
        ),
    )


# The client events: name, the schema of its payload, and what it does.
CLIENT_EVENTS = (
    ("join", JoinSchema(), join),
    ("leave", SessionRefSchema(), leave),
    ("ask", AskSchema(), ask),
    ("vote", VoteSchema(), vote),
    ("unvote", VoteSchema(), unvote),
    ("answer", AnswerSchema(), answer),
    ("moderate", ModerateSchema(), moderate),
    ("chat", ChatSchema(), chat),
)


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
    for sid in _revoked(state.snapshot()):
        _disconnect(sid)
    for session_id in state.local_sessions():
        connected = state.sids_in(session_id)
        allowed = service.may_still_attend(session_id, set(connected.values()))
        for sid, user_id in connected.items():
            if user_id not in allowed:
                _leave_rooms(sid, session_id, user_id)


# --- Revocation ----------------------------------------------------------------------


def _revoked(connections: dict[str, Connection]) -> set[str]:
    """Of these sockets, those whose account, token or browser session no longer
    authenticates (the same facts REST reads on every request)."""
    if not connections:
        return set()
    active = auth_service.active_accounts({c.user_id for c in connections.values()})
    tokens = auth_service.still_valid_tokens(
        {c.token_id for c in connections.values() if c.token_id is not None}
    )
    browsers = browser_sessions.still_open(
        {c.browser_session_id for c in connections.values() if c.browser_session_id is not None}
    )
    return {
        sid
        for sid, c in connections.items()
        if c.user_id not in active
        or (c.token_id is not None and c.token_id not in tokens)
        or (c.browser_session_id is not None and c.browser_session_id not in browsers)
    }


def on_revocation(event: Revocation | GroupAccessLost) -> None:
    """hub.revocation's listener: act before the revoking request answers."""
    try:
        if isinstance(event, GroupAccessLost):
            _evict_from_group(event.group_id, event.user_id)
            return
        for sid, connection in runtime().sockets_of(event.user_id).items():
            if connection.revoked_by(event):
                _disconnect(sid)
    except Exception:
        # The revocation itself is committed; the sweep finishes the job within 2 s.
        log.exception("live revocation failed; the sweep will catch up")


def _disconnect(sid: str) -> None:
    """Close a socket, here or (through the message queue) on its own process."""
    socketio.server.disconnect(sid, namespace=NAMESPACE)


def _shut_out(sid: str) -> None:
    """A socket found revoked while it sends an event: out of every room at once (so it
    receives nothing more), then closed once its refusal has been acknowledged."""
    for name in socketio.server.rooms(sid, namespace=NAMESPACE):
        if name != sid:
            socketio.server.leave_room(sid, name, namespace=NAMESPACE)
    connection = runtime().connection(sid)
    for session_id in list(connection.sessions) if connection else ():
        runtime().exit(sid, session_id)
    socketio.start_background_task(_disconnect, sid)


def _evict_from_group(group_id: int, user_id: int) -> None:
    """Take a person's sockets out of the rooms of the group's sessions that are not over."""
    session_ids = db.session.scalars(
        select(LiveSession.id).where(
            LiveSession.group_id == group_id, LiveSession.status != "ended"
        )
    ).all()
    for sid in runtime().sockets_of(user_id):
        for session_id in session_ids:
            _leave_rooms(sid, session_id, user_id)
