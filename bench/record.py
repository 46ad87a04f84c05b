"""Where a benchmark's report goes: one Markdown file a run under bench/results/."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def save(benchmark: str, report: str) -> Path:
    """Write one run's report to bench/results/YYYY-MM-DD-HHMM-<benchmark>.md."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC):%Y-%m-%d-%H%M}-{benchmark}.md"
    path.write_text(report.strip("\n") + "\n", encoding="utf-8")
    return path
