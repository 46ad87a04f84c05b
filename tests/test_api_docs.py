"""docs/api.md's worked examples, in JavaScript (the official client, run by Node.js) and in
Python, run as written against a real server: a developer can connect, join, ask, vote
and replay from the page alone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import JS_CLIENT, require_js_client
from tests.live.helpers import API, ThreadedServer, make_group, schedule, start

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def example(language: str) -> str:
    found = re.findall(rf"```{language} example\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert len(found) == 1, f"docs/api.md should hold one `{language} example` block"
    return found[0]


@pytest.fixture
def live_session(app, factory):
    owner = factory.person(name="Olivia Owner")
    attendee = factory.person(name="Ada Attendee")
    group_id = make_group(owner, "open")
    assert attendee.post(f"{API}/groups/{group_id}/join").status_code == 200
    session = schedule(owner, group_id)
    start(owner, session["id"])
    server = ThreadedServer(app)
    yield server, attendee, session["id"]
    server.stop()


def _run(command: list[str], server, person, session_id: int, **env) -> list[str]:
    environment = {
        **os.environ,
        "HUB_URL": server.url,
        "HUB_TOKEN": person.token,
        "HUB_SESSION": str(session_id),
        **env,
    }
    run = subprocess.run(command, capture_output=True, text=True, timeout=90, env=environment)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout.splitlines()


def _assert_the_story(lines: list[str]) -> None:
    assert lines[0].startswith("joined at seq 1: 0 questions"), lines
    assert any(line.startswith("asked question") and "1 vote" in line for line in lines), lines
    assert "asked over REST while away: 201" in lines, lines
    assert lines[-1].startswith("rejoined at seq"), lines
    seqs = [int(line.split()[1]) for line in lines if line.startswith("event ")]
    assert seqs == sorted(set(seqs)), lines  # in order, nothing twice
    assert seqs == list(range(seqs[0], seqs[-1] + 1)), lines  # nothing missed


@pytest.mark.parametrize("database", ["sqlite"])
def test_the_javascript_example_runs_as_written(live_session, tmp_path):
    node = require_js_client()
    server, attendee, session_id = live_session
    script = tmp_path / "example.js"
    script.write_text(example("js"))
    packages = str(JS_CLIENT / "node_modules")
    lines = _run([node, str(script)], server, attendee, session_id, NODE_PATH=packages)
    _assert_the_story(lines)
    assert "missed: Asked while you were away" in lines[-1]


@pytest.mark.parametrize("database", ["sqlite"])
def test_the_python_example_runs_as_written(live_session, tmp_path):
    server, attendee, session_id = live_session
    script = tmp_path / "example.py"
    script.write_text(example("python"))
    lines = _run([sys.executable, str(script)], server, attendee, session_id)
    _assert_the_story(lines)


def test_the_page_names_every_client_event():
    from hub.live.events import CLIENT_EVENTS

    text = DOC.read_text()
    for name, _schema, _action in CLIENT_EVENTS:
        assert f"`{name}`" in text, name
