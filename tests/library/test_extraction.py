"""The extraction worker itself: the limits it puts on itself before reading anything."""

import subprocess
import sys

from hub.library import extraction

PROBE = """
import resource, runpy, sys
worker = runpy.run_path(sys.argv[1])
worker["limit_this_process"]()
print(resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_CPU)[0])
try:
    hog = bytearray(1024 * 1024 * 1024)
except MemoryError:
    print("memory refused")
"""


def test_the_worker_caps_its_memory_and_cpu_before_it_reads():
    result = subprocess.run(
        [sys.executable, "-I", "-B", "-c", PROBE, str(extraction.WORKER)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    memory, cpu = result.stdout.split("\n")[0].split()
    assert int(memory) == 512 * 1024 * 1024
    assert 0 < int(cpu) <= extraction.TIMEOUT_SECONDS
    assert "memory refused" in result.stdout


def test_every_extractable_kind_has_a_reader():
    assert extraction.EXTRACTABLE == {
        "pdf",
        "docx",
        "odt",
        "xlsx",
        "ods",
        "pptx",
        "odp",
        "csv",
        "txt",
        "md",
        "html",
    }
