"""Two deployments sharing one Redis must not hear each other's live events: each
publishes on a channel of its own (named after its database), and processes of one
deployment share theirs."""

from __future__ import annotations

import time

import redis

from hub import create_app
from hub.extensions import socketio
from tests.conftest import require_redis


def _channel(data_dir, redis_url: str) -> str:
    create_app({"HUB_DATA_DIR": str(data_dir), "HUB_REDIS_URL": redis_url})
    return socketio.server.manager.channel


def test_each_deployment_publishes_on_its_own_channel(tmp_path):
    redis_url = require_redis()
    first = _channel(tmp_path / "first", redis_url)
    second = _channel(tmp_path / "second", redis_url)
    first_again = _channel(tmp_path / "first", redis_url)
    assert first != second
    assert first == first_again
    assert "flask-socketio" not in (first, second)


def test_a_deployment_names_its_prefix_and_every_key_and_channel_starts_with_it(tmp_path):
    redis_url = require_redis()
    app = create_app(
        {"HUB_DATA_DIR": str(tmp_path), "HUB_REDIS_URL": redis_url, "HUB_REDIS_PREFIX": "camden"}
    )
    assert socketio.server.manager.channel == "camden:live"
    assert app.config["RATELIMIT_KEY_PREFIX"] == "camden"


def test_an_app_without_redis_keeps_its_events_to_itself_after_one_with_redis(tmp_path):
    """Socket.IO is one per process: an app made without Redis after one made with it
    (as in tests, or `flask` commands) must not publish on the earlier app's channel."""
    redis_url = require_redis()
    create_app(
        {"HUB_DATA_DIR": str(tmp_path / "a"), "HUB_REDIS_URL": redis_url, "HUB_REDIS_PREFIX": "a"}
    )
    channel = socketio.server.manager.channel
    listener = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(channel)
    try:
        alone = create_app({"HUB_DATA_DIR": str(tmp_path / "b")})
        with alone.app_context():
            socketio.emit("live_event", {"type": "from the app without Redis"}, namespace="/live")
        # A marker published after the emit: whatever the emit published arrives before it.
        redis.Redis.from_url(redis_url).publish(channel, b"marker")
        heard = []
        deadline = time.monotonic() + 10
        while b"marker" not in heard:
            assert time.monotonic() < deadline, f"the marker never arrived; heard {heard}"
            message = listener.get_message(timeout=1)  # None for the subscription itself
            if message is not None:
                heard.append(message["data"])
        assert heard == [b"marker"]
    finally:
        listener.close()
