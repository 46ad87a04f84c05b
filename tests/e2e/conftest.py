"""Helpers to start the real server as a separate process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
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
            time.sleep(0.3)
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
    servers: list[Server] = []

    def start(command: list[str], env: dict | None = None, port: int | None = None) -> Server:
        port = port or free_port()
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
        full_env.update({"PORT": str(port), "HUB_DATA_DIR": str(tmp_path / "data")})
        full_env.update(env or {})
        server = Server(command, full_env, port, tmp_path / f"server-{len(servers)}.log")
        servers.append(server)
        server.wait_healthy()
        return server

    yield start
    for server in servers:
        server.stop()
