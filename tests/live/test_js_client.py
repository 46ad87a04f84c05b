"""The official Socket.IO JavaScript client (socket.io-client from npm, run by Node.js)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_js_client
from tests.live.helpers import start

JS = Path(__file__).parent / "js"


@pytest.mark.parametrize("database", ["sqlite"])
def test_the_official_javascript_client_joins_asks_and_hears(cast, server, clients):
    node = require_js_client()
    start(cast.owner, cast.session_id)
    watcher = clients(cast.other.token)
    watcher.ok("join", {"session_id": cast.session_id})

    run = subprocess.run(
        [node, "client.js", server.url, cast.member.token, str(cast.session_id)],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    by_kind = {}
    for line in lines:
        by_kind.setdefault(line["kind"], []).append(line["body"])
    joined = by_kind["join"][0]
    assert joined["ok"] is True and joined["seq"] == 1
    assert joined["session"]["status"] == "live"
    asked = by_kind["ask"][0]
    assert asked["ok"] is True
    assert asked["question"]["author"]["id"] == cast.member.user_id
    created = [e for e in by_kind["event"] if e["type"] == "question.created"]
    assert created[0]["data"]["id"] == asked["question"]["id"]
    assert created[0]["seq"] == 2 and created[0]["session_id"] == cast.session_id
    # A Python client in the same room heard the same event with the same seq.
    seen = watcher.wait_for_types("question.created")[-1]
    assert seen == created[0]


@pytest.mark.parametrize("database", ["sqlite"])
def test_a_refused_connection_tells_the_javascript_client_why(server):
    node = require_js_client()
    for token, code, words in (
        (None, "unauthorized", "Sign in first"),
        ("not-a-token", "unauthorized", "This token is not valid"),
    ):
        run = subprocess.run(
            [node, "refused.js", server.url, *([token] if token else [])],
            cwd=JS,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        answer = json.loads(run.stdout.splitlines()[-1])
        assert answer["kind"] == "refused"
        assert words in answer["message"], answer
        assert answer["data"] == {"code": code}
