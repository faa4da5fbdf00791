"""Regressions #12a and #12c: import errors must say where and what is accepted.

12a: a malformed line gave no line number (N-Quads) or no column (TriG); now both give the line
and the column (JSON-LD too: tests/test_restore.py). 12c: `import --format xml` said "cannot parse xml: 'xml'"; now an unknown format
names the accepted ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.errors import StoreError
from ingest.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "tests" / "fixtures" / "restore" / "documents.nq"
GRAPH = "https://w3id.org/spacekg/graph/source/0123456789abcdef"


def run(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACEKG_")}
    command = [sys.executable, "-m", "ingest.cli", "--store", str(store), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_malformed_nquads_line_gives_line_and_column(tmp_path: Path) -> None:
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    # Line 300 has a bare word where the predicate IRI belongs, at column 25.
    lines[299] = f'<https://example.org/s> oops "x" <{GRAPH}> .'
    path = tmp_path / "broken.nq"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    try:
        with pytest.raises(StoreError, match=r"cannot parse nquads at line 300, column 25: "):
            store.import_file(path)
        assert store.graph_names() == []
    finally:
        store.close()


def test_malformed_trig_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.trig"
    path.write_text(
        "@prefix ex: <https://example.org/> .\n"
        f"<{GRAPH}> {{\n"
        "  ex:a ex:b ex:c .\n"
        "  ex:a ex:b ex:c ex:d .\n"
        "}\n",
        encoding="utf-8",
    )
    result = run("import", str(path), store=tmp_path / "store")
    line = one_error_line(result)
    assert "cannot parse trig at line 4, column 18:" in line, line
    assert str(path) in line


def test_unknown_format_names_the_accepted_formats(tmp_path: Path) -> None:
    line = one_error_line(run("import", "--format", "xml", str(DOCS), store=tmp_path / "store"))
    assert "unknown import format 'xml'" in line, line
    assert "nquads, trig, jsonld" in line, line
