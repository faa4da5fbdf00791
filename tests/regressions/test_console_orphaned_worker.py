"""Defect 2: Ctrl-C, SIGTERM, SIGHUP or SIGKILL of `spacekg sparql` left its worker running.

One ran 46 minutes with no deadline. The worker now dies with its parent however it ends.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _hostile import small_store

# CPU-bound, constant memory, runs for minutes on 120 triples (120^3 rows counted).
ENDLESS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _default_signals() -> None:
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_worker_dies_with_the_cli(tmp_path: Path, sig: signal.Signals) -> None:
    store = small_store(tmp_path / "store")
    cli = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ingest.cli",
            "--store",
            str(store),
            "sparql",
            ENDLESS,
            "--timeout",
            "600",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # a shell's background job ignores SIGINT and one started by nohup ignores SIGHUP (both
        # inherited through exec); a terminal's foreground one ignores neither
        preexec_fn=_default_signals,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 20
    while not workers and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = _children(cli.pid)
    assert workers, "the CLI started no query worker"
    time.sleep(0.5)  # let the worker arm its parent-death signal
    cli.send_signal(sig)
    cli.wait(timeout=20)
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"worker(s) {left} outlived the CLI after {sig.name}"
