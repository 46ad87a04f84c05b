"""The state of live serving that is not in the database: who is connected to this
process, per-session locks, per-person rate limits and presence counts.

Rate limits and presence live in Redis when `HUB_REDIS_URL` is set, so that several
processes share them; otherwise in this process, which then serves all live traffic.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

from flask import Flask, current_app

from hub.revocation import Revocation

# Per-person limits: (accepted per window, window in seconds). API.md promises at least 5
# questions and 20 chat messages a minute and refuses more than 10 and 60; votes,
# answers and moderation allow at least 60 a minute.
RATE_LIMITS = {
    "question": (10, 60.0),
    "chat": (60, 60.0),
    "vote": (120, 60.0),
    "answer": (120, 60.0),
    "moderate": (120, 60.0),
}
PRESENCE_INTERVAL = 1.0  # seconds between two presence events of one session, at least
SOCKET_REGISTRY_TTL = 7 * 24 * 3600  # seconds; refreshed at each connect of the person
REDIS_WARNING_INTERVAL = 30.0  # seconds between two warnings that Redis is away

_SLIDING_WINDOW = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return math.ceil(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('PEXPIRE', key, window)
return 0
"""

_PRESENCE_CHANGE = """
local count = redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[2]))
if count <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('EXPIRE', KEYS[1], 86400)
return redis.call('HLEN', KEYS[1])
"""


@dataclass
class Connection:
    """One socket of this process: who it is, what authenticated it (a token or a browser
    session, so that revoking either can find it), and the live sessions it joined."""

    user_id: int
    token_id: int | None = None
    browser_session_id: int | None = None
    sessions: set[int] = field(default_factory=set)

    def revoked_by(self, revocation: Revocation) -> bool:
        return (
            revocation.whole_account
            or self.token_id in revocation.token_ids
            or self.browser_session_id in revocation.session_ids
        )


def _connection_from_entry(user_id: int, entry: str) -> Connection:
    token_id, _, browser_session_id = entry.partition(":")
    return Connection(
        user_id,
        token_id=int(token_id) if token_id else None,
        browser_session_id=int(browser_session_id) if browser_session_id else None,
    )


def redis_namespace(app: Flask) -> str:
    """The live channel's prefix for Redis keys, and its Socket.IO channel: under the
    deployment's HUB_REDIS_PREFIX, so that two deployments sharing a Redis never count
    each other's people or hear each other's events."""
    return f"{app.config['HUB_REDIS_PREFIX']}:live"


class LiveRuntime:
    """One per app; reached with `runtime()` inside an app context."""

    def __init__(self, app: Flask) -> None:
        self.redis_url = app.config["HUB_REDIS_URL"]
        self.prefix = redis_namespace(app)
        self._redis = None
        self._guard = threading.Lock()
        self._session_locks: dict[int, threading.RLock] = defaultdict(threading.RLock)
        self.connections: dict[str, Connection] = {}
        self._windows: dict[tuple[int, str], deque[float]] = defaultdict(deque)
        self._present: dict[int, Counter[int]] = defaultdict(Counter)
        self._presence_dirty: set[int] = set()
        self._presence_sent: dict[int, float] = {}
        self._unique = itertools.count()
        self.stopped = threading.Event()
        self.loop_started = False
        self._warned_at: dict[str, float] = {}

    @property
    def redis(self):
        if self.redis_url and self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(
                self.redis_url, socket_timeout=5, socket_connect_timeout=1
            )
        return self._redis

    def _shared(self, what: str, call):
        """Redis's answer to `call()`, or None when Redis does not answer: the caller then
        uses this process's own state, so that live sessions go on while Redis is away
        (limits and presence are per process until it is back). Warns at most every 30 s."""
        try:
            return call()
        except Exception as error:
            now = time.monotonic()
            if now - self._warned_at.get(what, -REDIS_WARNING_INTERVAL) >= REDIS_WARNING_INTERVAL:
                self._warned_at[what] = now
                current_app.logger.warning(
                    "Redis does not answer; %s are this process's own until it does (%s)",
                    what,
                    error,
                )
            return None

    # --- Ordering ----------------------------------------------------------------------

    def session_lock(self, session_id: int) -> threading.RLock:
        """Held from a session's seq increment to the send, so that this process sends its
        events in seq order and a join's replay comes before any new event."""
        with self._guard:
            return self._session_locks[session_id]

    # --- Rate limits -------------------------------------------------------------------

    def retry_after(self, user_id: int, action: str) -> int:
        """0 when this person may act now (and the action is counted), else the seconds
        to wait. A sliding window of the last minute, per person and kind of action."""
        limit, window = RATE_LIMITS[action]
        now = time.time()
        if self.redis is not None:
            member = f"{now:.6f}:{next(self._unique)}:{id(self)}"
            wait_ms = self._shared(
                "rate limits",
                lambda: self.redis.eval(
                    _SLIDING_WINDOW,
                    1,
                    f"{self.prefix}:rate:{action}:{user_id}",
                    int(now * 1000),
                    int(window * 1000),
                    limit,
                    member,
                ),
            )
            if wait_ms is not None:
                return max(1, -(-int(wait_ms) // 1000)) if int(wait_ms) else 0
        with self._guard:
            stamps = self._windows[(user_id, action)]
            while stamps and stamps[0] <= now - window:
                stamps.popleft()
            if len(stamps) >= limit:
                return max(1, int(stamps[0] + window - now + 0.999))
            stamps.append(now)
            return 0

    # --- Connections and presence ------------------------------------------------------

    def connect(self, sid: str, connection: Connection) -> None:
        with self._guard:
            self.connections[sid] = connection
        if self.redis is not None:
            # Every process's sockets of a person, so that a revocation made anywhere finds
            # them. A crashed process leaves stale entries, which are harmless (there is
            # nothing to disconnect) and expire.
            key = self._sockets_key(connection.user_id)
            entry = f"{connection.token_id or ''}:{connection.browser_session_id or ''}"
            self._shared(
                "socket registrations",
                lambda: (
                    self.redis.pipeline()
                    .hset(key, sid, entry)
                    .expire(key, SOCKET_REGISTRY_TTL)
                    .execute()
                ),
            )

    def sockets_of(self, user_id: int) -> dict[str, Connection]:
        """A person's sockets on every process (with Redis), else on this one."""
        if self.redis is not None:
            key = self._sockets_key(user_id)
            entries = self._shared("socket registrations", lambda: self.redis.hgetall(key))
            if entries is not None:
                return {
                    sid.decode(): _connection_from_entry(user_id, entry.decode())
                    for sid, entry in entries.items()
                }
        with self._guard:
            return {sid: c for sid, c in self.connections.items() if c.user_id == user_id}

    def snapshot(self) -> dict[str, Connection]:
        """This process's connections, for the sweep."""
        with self._guard:
            return dict(self.connections)

    def _sockets_key(self, user_id: int) -> str:
        return f"{self.prefix}:sockets:{user_id}"

    def connection(self, sid: str) -> Connection | None:
        return self.connections.get(sid)

    def joined(self, sid: str, session_id: int) -> bool:
        connection = self.connections.get(sid)
        return connection is not None and session_id in connection.sessions

    def enter(self, sid: str, session_id: int) -> None:
        with self._guard:
            connection = self.connections.get(sid)
            if connection is None or session_id in connection.sessions:
                return
            connection.sessions.add(session_id)
        self._change_presence(session_id, connection.user_id, +1)

    def exit(self, sid: str, session_id: int) -> None:
        with self._guard:
            connection = self.connections.get(sid)
            if connection is None or session_id not in connection.sessions:
                return
            connection.sessions.discard(session_id)
        self._change_presence(session_id, connection.user_id, -1)

    def disconnect(self, sid: str) -> None:
        with self._guard:
            connection = self.connections.get(sid)
        if connection is None:
            return
        for session_id in list(connection.sessions):
            self.exit(sid, session_id)
        with self._guard:
            self.connections.pop(sid, None)
        if self.redis is not None:
            key = self._sockets_key(connection.user_id)
            self._shared("socket registrations", lambda: self.redis.hdel(key, sid))

    def sids_in(self, session_id: int) -> dict[str, int]:
        """This process's connections that joined the session, with their people."""
        with self._guard:
            return {
                sid: c.user_id for sid, c in self.connections.items() if session_id in c.sessions
            }

    def local_sessions(self) -> set[int]:
        with self._guard:
            return {s for c in self.connections.values() for s in c.sessions}

    def _change_presence(self, session_id: int, user_id: int, delta: int) -> None:
        with self._guard:
            present = self._present[session_id]
            present[user_id] += delta
            if present[user_id] <= 0:
                del present[user_id]
            self._presence_dirty.add(session_id)
        if self.redis is not None:
            key = f"{self.prefix}:presence:{session_id}"
            self._shared(
                "presence counts",
                lambda: self.redis.eval(_PRESENCE_CHANGE, 1, key, user_id, delta),
            )

    def presence_count(self, session_id: int) -> int:
        """How many people are in the session's room (on every process, with Redis)."""
        if self.redis is not None:
            key = f"{self.prefix}:presence:{session_id}"
            count = self._shared("presence counts", lambda: self.redis.hlen(key))
            if count is not None:
                return int(count)
        with self._guard:
            return len(self._present.get(session_id, ()))

    def presence_due(self) -> list[int]:
        """Sessions whose count changed and whose last presence event is a second old.

        With Redis a shared gate keeps it to one event a second across all processes.
        """
        now = time.monotonic()
        due = []
        with self._guard:
            candidates = [
                s
                for s in self._presence_dirty
                if now - self._presence_sent.get(s, 0.0) >= PRESENCE_INTERVAL
            ]
        for session_id in candidates:
            if self.redis is not None:
                gate = f"{self.prefix}:presence-sent:{session_id}"
                opened = self._shared(
                    "presence counts",
                    lambda gate=gate: self.redis.set(
                        gate, 1, nx=True, px=int(PRESENCE_INTERVAL * 1000)
                    ),
                )
                if opened is not None and not opened:
                    continue
            with self._guard:
                self._presence_dirty.discard(session_id)
                self._presence_sent[session_id] = now
            due.append(session_id)
        return due


def runtime(app: Flask | None = None) -> LiveRuntime:
    app = app or current_app._get_current_object()
    state = app.extensions.get("hub_live")
    if state is None:
        state = app.extensions.setdefault("hub_live", LiveRuntime(app))
    return state
