"""A process that died while receiving an upload leaves its half in files/incoming/: the
next start removes it, but never an upload another process is receiving now."""

from __future__ import annotations

import os
import time

from tests.conftest import make_test_app


def test_start_up_removes_abandoned_uploads_only(tmp_path):
    incoming = tmp_path / "files" / "incoming"
    incoming.mkdir(parents=True)
    abandoned, arriving = incoming / "a", incoming / "b"
    abandoned.write_bytes(b"half a file")
    arriving.write_bytes(b"still coming")
    two_hours_ago = time.time() - 7200
    os.utime(abandoned, (two_hours_ago, two_hours_ago))

    make_test_app("sqlite", tmp_path)

    assert not abandoned.exists()
    assert arriving.read_bytes() == b"still coming"
