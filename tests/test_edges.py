"""Services raise the hub's own errors; only the edges (the API's views, the request guard,
the Socket.IO handlers, the pages) know HTTP: `abort(` appears nowhere else, and nothing
outside the edges imports werkzeug's HTTP exceptions."""

from __future__ import annotations

import re
from pathlib import Path

HUB = Path(__file__).resolve().parents[1] / "hub"
EDGES = {"api.py", "views.py", "events.py", "guard.py", "errors.py"}


def _domain_modules():
    return [p for p in HUB.rglob("*.py") if p.name not in EDGES]


def test_only_the_edges_abort():
    offenders = [
        f"{path.relative_to(HUB.parent)}:{number}"
        for path in _domain_modules()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\babort\(", line)
    ]
    assert len(_domain_modules()) > 50
    assert offenders == []


def test_the_domain_does_not_speak_http():
    offenders = [
        str(path.relative_to(HUB.parent))
        for path in _domain_modules()
        if re.search(r"werkzeug\.exceptions|flask_smorest import abort", path.read_text())
    ]
    assert offenders == []
