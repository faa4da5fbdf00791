"""ingest.memory: freed heap pages go back to the system."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ingest.memory import release_free_memory

STATUS = Path("/proc/self/status")


def _resident_mb() -> float:
    for line in STATUS.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line in /proc/self/status")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc only")
def test_freed_pages_between_live_blocks_are_returned() -> None:
    # 100 kB blocks come from malloc's heap (below its mmap threshold); a small block kept
    # after each holds the heap's top, so freeing the large ones alone returns nothing.
    large: list[bytearray] = []
    kept: list[bytearray] = []
    for _ in range(600):
        large.append(bytearray(b"x" * 100_000))
        kept.append(bytearray(b"y" * 1_000))
    del large
    before = _resident_mb()
    assert release_free_memory()
    after = _resident_mb()
    assert before - after > 30, (before, after)  # of the 60 MB freed
    assert len(kept) == 600
