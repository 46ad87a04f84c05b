"""A warm parent that forks the multi-process tests' servers (`tests/live/serve.py`).

A server started as `python -m tests.live.serve` spends ~2.5 s of CPU importing the hub
and making its first app before it answers; the tests start ~45 of them. This parent pays
that once per pytest worker, then forks each server: the child is a whole process of its
own (its own session, environment, working directory and log) running the same code, and
makes its app from its environment as the command would.

The protocol is a JSON line each way on the parent's stdin and stdout: the test writes
{"env": {...}, "cwd": "...", "log": "..."}, the parent answers {"pid": N}. Children are
reaped by the parent at once (SIGCHLD ignored), so a test sees a stopped server as gone.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class Zygote:
    """The test side: one warm parent per pytest process, started on first use."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def fork(self, env: dict, cwd: Path, log: Path) -> int:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.live.zygote"],
                cwd=REPO,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        request = {"env": env, "cwd": str(cwd), "log": str(log)}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError("the server zygote exited; see the test output above")
        return json.loads(answer)["pid"]

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)
        self.process = None


zygote = Zygote()


def _warm_up() -> None:
    """Import everything a server imports, by making one app in a throwaway data dir."""
    from tests.live import serve

    with tempfile.TemporaryDirectory() as scratch:
        os.environ.update(
            {
                "HUB_DATA_DIR": scratch,
                "HUB_DATABASE_URL": f"sqlite:///{scratch}/warm.sqlite3",
            }
        )
        serve.make_app()


def _child(request: dict) -> None:
    os.setsid()  # its own process group, which the test stops as a whole
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    from tests.live import serve

    serve.serve()


def main() -> None:
    _warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _child(request)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        sys.stdout.write(json.dumps({"pid": pid}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
