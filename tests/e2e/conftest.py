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

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, command: list[str], env: dict, port: int, log_path: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - open while the server runs
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(
            f"server not healthy in {timeout}s:\n{self.log_path.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture
def start_server(tmp_path):
    """Start a server process and wait until it is healthy; `start_server(command, env,
    count=2)` starts that many side by side (each takes seconds to start) and answers a
    list. All of one test's servers share a Redis prefix of their own (HUB_REDIS_PREFIX),
    so that they never hear another test's events or count its people."""
    servers: list[Server] = []
    redis_prefix = f"hub-test-{uuid.uuid4().hex[:12]}"

    def launch(command: list[str], env: dict | None, port: int | None) -> Server:
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

    def start(command: list[str], env: dict | None = None, port: int | None = None, count: int = 1):
        started = [launch(command, env, None if count > 1 else port) for _ in range(count)]
        for server in started:
            server.wait_healthy()
        return started if count > 1 else started[0]

    yield start
    for server in servers:
        server.stop()
