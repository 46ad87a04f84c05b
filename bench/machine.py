"""The machine a benchmark ran on, described alike in every report."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def describe() -> str:
    """The system, CPUs and their model, memory and Python on one line."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}; "
        f"{os.cpu_count()} CPUs ({_cpu_model()}); {memory:.1f} GiB RAM; "
        f"Python {platform.python_version()}"
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown model"
