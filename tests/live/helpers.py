"""Helpers for the live tests: a real server in a thread, real Socket.IO clients, and
groups and sessions made through the API."""

from __future__ import annotations

import queue
import socket
import threading
import time
from collections.abc import Callable

import socketio
from werkzeug.serving import make_server

from hub import extensions
from hub.live.runtime import runtime
from tests.factories import ApiClient
from tests.groups.helpers import add_member, make_group

API = "/api/v1"
NAMESPACE = "/live"

__all__ = ["add_member", "make_group"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThreadedServer:
    """The app served by werkzeug's threaded server (Flask-SocketIO's threading mode, the
    mode `flask hub serve` runs) on a free port, in a daemon thread of the test process."""

    def __init__(self, app) -> None:
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self._wait_for_sockets_to_close()
        runtime(self.app).stopped.set()
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def _wait_for_sockets_to_close(timeout: float = 1.0) -> None:
        """A client's close reaches the server a moment after the client left: let the
        server's disconnect handling finish within this test, not in the next one (which
        reuses the app)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(
            not s.closed for s in list(extensions.socketio.server.eio.sockets.values())
        ):
            time.sleep(0.01)


class LiveClient:
    """A real python-socketio client on `/live` that records every `live_event`."""

    def __init__(self, url: str, token: str | None = None, connect: bool = True, **kwargs):
        self.url = url
        self.token = token
        self.events: list[dict] = []
        self.changed = threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("live_event", self._record, namespace=NAMESPACE)
        self.personal: list[dict] = []  # personal_event: a notification or a message
        self.sio.on("personal_event", self._record_personal, namespace=NAMESPACE)
        self.gone = threading.Event()
        self.sio.on("disconnect", lambda *_reason: self.gone.set(), namespace=NAMESPACE)
        if connect:
            self.connect(**kwargs)

    def _record(self, event: dict) -> None:
        with self.changed:
            self.events.append(event)
            self.changed.notify_all()

    def _record_personal(self, event: dict) -> None:
        with self.changed:
            self.personal.append(event)
            self.changed.notify_all()

    def wait_for_personal(self, count: int, timeout: float = 10) -> list[dict]:
        """Wait until `count` personal events have arrived; returns them all."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.personal) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; personal events so far: {self.personal}")
                self.changed.wait(left)
            return list(self.personal)

    def connect(self, **kwargs) -> None:
        options = {"namespaces": [NAMESPACE], "transports": ["websocket"], "wait_timeout": 10}
        if self.token is not None:
            options["auth"] = {"token": self.token}
        options.update(kwargs)
        self.sio.connect(self.url, **options)

    def call(self, event: str, payload=None, timeout: float = 10) -> dict:
        return self.sio.call(event, payload, namespace=NAMESPACE, timeout=timeout)

    def ok(self, event: str, payload=None) -> dict:
        answer = self.call(event, payload)
        assert answer["ok"] is True, answer
        return answer

    def error(self, event: str, payload=None) -> str:
        answer = self.call(event, payload)
        assert answer["ok"] is False, answer
        assert set(answer["error"]) >= {"code", "message"}, answer
        return answer["error"]["code"]

    def wait_for(self, predicate: Callable[[list[dict]], bool], timeout: float = 10) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate(self.events):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; events so far: {self.events}")
                self.changed.wait(left)
            return list(self.events)

    def wait_for_types(self, *types: str, timeout: float = 10) -> list[dict]:
        """Wait until these event types have arrived, in this order; returns the events
        other than presence."""

        def arrived(events):
            seen = [e["type"] for e in events if e["type"] != "presence"]
            it = iter(seen)
            return all(t in it for t in types)

        events = self.wait_for(arrived, timeout)
        return [e for e in events if e["type"] != "presence"]

    def of_type(self, *types: str) -> list[dict]:
        with self.changed:
            return [e for e in self.events if e["type"] in types]

    def visible(self) -> list[dict]:
        """Events with a seq of their own (not presence, not private ones)."""
        with self.changed:
            return [e for e in self.events if e["type"] != "presence"]

    def clear(self) -> None:
        with self.changed:
            self.events.clear()

    def wait_disconnected(self, timeout: float) -> None:
        """Wait for the server to close this socket's namespace."""
        assert self.gone.wait(max(timeout, 0)), f"still connected after {timeout:.2f} s"

    def disconnect(self) -> None:
        """Leave at once, as a closed browser tab does.

        python-socketio's own disconnect closes the websocket with websocket-client's
        `close()`, which waits up to 3 s for the server's close frame while the client's
        reader thread usually takes that frame first. Closing the transport without
        waiting ends the reader at once; the server sees the connection close.
        """
        if self.sio.connected:
            self._close_transport()

    def _close_transport(self) -> None:
        if self.sio.transport() == "websocket":
            self.sio.eio.ws.close(timeout=0)
            self.sio.eio.wait()  # the reader thread sees the closed socket and tidies up
        else:
            # Send Engine.IO's close and go, without waiting for the open long poll to
            # come back (at times it waited for the 25 s ping interval).
            self.sio.eio.disconnect(abort=True)

    def refused(self, **kwargs) -> object:
        """Connect expecting a refusal; the server's reason. A refused connect through
        python-socketio's `connect(wait=True)` closes the websocket its own way, waiting
        3 s (see `disconnect`); this waits for the refusal and closes at once."""
        answers: queue.Queue = queue.Queue()
        self.sio.on("connect", lambda: answers.put(None), namespace=NAMESPACE)
        self.sio.on("connect_error", answers.put, namespace=NAMESPACE)
        options = {"namespaces": [NAMESPACE], "transports": ["websocket"], "wait": False}
        if self.token is not None:
            options["auth"] = {"token": self.token}
        options.update(kwargs)
        try:
            self.sio.connect(self.url, **options)
        except socketio.exceptions.ConnectionError as refusal:  # refused by the transport
            return refusal.args
        reason = answers.get(timeout=10)
        self._close_transport()
        assert reason is not None, "the server accepted the connection"
        return reason


def schedule(owner: ApiClient, group_id: int, **fields) -> dict:
    body = {
        "title": "Peer challenge: what we learned",
        "description": "Ask the project team anything.",
        "starts_at": "2026-11-22T14:00:00Z",
        "moderated": False,
        "allow_anonymous": True,
        "panelist_ids": [],
        **fields,
    }
    response = owner.post(f"{API}/groups/{group_id}/live-sessions", json=body)
    assert response.status_code == 201, response.json
    return response.json


def start(person: ApiClient, session_id: int) -> dict:
    response = person.post(f"{API}/live-sessions/{session_id}/start")
    assert response.status_code == 200, response.json
    return response.json


def end(person: ApiClient, session_id: int) -> dict:
    response = person.post(f"{API}/live-sessions/{session_id}/end")
    assert response.status_code == 200, response.json
    return response.json


def ban(owner: ApiClient, group_id: int, person: ApiClient) -> None:
    response = owner.delete(f"{API}/groups/{group_id}/members/{person.user_id}?ban=true")
    assert response.status_code == 204, response.json


def seqs(events: list[dict]) -> list[int]:
    return [e["seq"] for e in events]
