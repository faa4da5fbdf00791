"""`spacekg review list|accept|reject`, run as a user would (a real process, a real store)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = "China operates the Yaogan-30 satellites. Russia operates the Luch satellite."


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACEKG_")}
    env["SPACEKG_MIN_CONFIDENCE"] = "1.0"  # every fact waits for a reviewer
    command = [sys.executable, "-m", "ingest.cli", "--store", str(store), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def test_review_list_accept_and_an_export_that_keeps_the_decision(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(TEXT, encoding="utf-8")
    store = tmp_path / "s"
    assert run(store, "ingest", str(note)).returncode == 0
    listed = run(store, "review", "list", "--limit", "50")
    assert listed.returncode == 0, listed.stderr
    line = next(row for row in listed.stdout.splitlines() if "skg:operates" in row)
    evidence = re.match(r"(skgid:evidence/[0-9a-f-]+)", line).group(1)  # type: ignore[union-attr]
    assert "\u201cChina operates the Yaogan-30 satellites.\u201d" in listed.stdout

    accepted = run(store, "review", "accept", evidence, "--by", "A. Analyst")
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith("accepted: ") and "by A. Analyst" in accepted.stdout
    fact = accepted.stdout.split("accepted: ", 1)[1].split(" (by", 1)[0]
    assert fact not in run(store, "review", "list", "--limit", "50").stdout

    validated = run(store, "validate")
    assert validated.returncode == 0, validated.stdout
    assert re.search(r"review/[0-9a-f]{16}: conforms", validated.stdout)

    export = tmp_path / "all.nq"
    assert run(store, "export", "--format", "nquads", "-o", str(export)).returncode == 0
    copy = tmp_path / "copy"
    restored = run(copy, "import", str(export))
    assert restored.returncode == 0, restored.stderr
    assert fact not in run(copy, "review", "list", "--limit", "50").stdout


def test_review_errors_are_one_line(tmp_path: Path) -> None:
    result = run(tmp_path / "s", "review", "accept", "skgid:actor/nato", "--by", "A")
    assert result.returncode == 1
    assert result.stderr.startswith("error: skgid:actor/nato: not an evidence id")
    assert "Traceback" not in result.stderr
