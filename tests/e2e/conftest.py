"""Helpers to start the real server as a separate process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.live.zygote import zygote

REPO = Path(__file__).resolve().parents[2]
# The multi-process tests' hub server (tests/live/serve.py), forked from a warm parent.
HUB_SERVER = "hub-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process in a process group of its own: a command run by the test, or the
    hub server forked by the zygote (then `process` is None: the zygote reaps it)."""

    def __init__(self, command, env: dict, port: int, log_path: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        log_path.touch()
        if command == HUB_SERVER:
            self.process = None
            self.pid = zygote.fork(env, REPO, log_path)
        else:
            with open(log_path, "w") as log:
                self.process = subprocess.Popen(
                    command,
                    cwd=REPO,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            self.pid = self.process.pid

    def running(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                raise AssertionError(f"server exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError(
            f"server not healthy in {timeout}s:\n{self.log_path.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        if not self.running():
            return
        os.killpg(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.02)
        if self.running():
            os.killpg(self.pid, signal.SIGKILL)
            while self.running():
                time.sleep(0.02)


@pytest.fixture
def start_server(tmp_path):
    """Start a server process and wait until it is healthy; `start_server(command, env,
    count=2)` starts that many side by side and answers a list. `HUB_SERVER` as the
    command is the multi-process tests' hub server, forked warm (tests/live/zygote.py).
    All of one test's servers share a Redis prefix of their own (HUB_REDIS_PREFIX), so
    that they never hear another test's events or count its people."""
    servers: list[Server] = []
    redis_prefix = f"hub-test-{uuid.uuid4().hex[:12]}"

    def launch(command: list[str] | str, env: dict | None, port: int | None) -> Server:
        port = port or free_port()
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
        full_env.update(
            {
                "PORT": str(port),
                "HUB_DATA_DIR": str(tmp_path / "data"),
                "HUB_REDIS_PREFIX": redis_prefix,
            }
        )
        full_env.update(env or {})
        server = Server(command, full_env, port, tmp_path / f"server-{len(servers)}.log")
        servers.append(server)
        return server

    def start(
        command: list[str] | str, env: dict | None = None, port: int | None = None, count: int = 1
    ):
        started = [launch(command, env, None if count > 1 else port) for _ in range(count)]
        for server in started:
            server.wait_healthy()
        return started if count > 1 else started[0]

    yield start
    for server in servers:
        server.stop()
