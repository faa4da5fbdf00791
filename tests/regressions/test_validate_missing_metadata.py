"""Defect 12b: `spacekg validate` accepted a source graph without document metadata (no
skg:SourceDocument type, title or sha256 for `…/id/source/{docid}`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from ingest.iri import source_graph, source_iri
from ingest.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
DOCID = "0123456789abcdef"


def test_validate_reports_a_source_graph_without_document_metadata(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    try:
        store.ensure_reference()
        orphan = Graph()
        orphan.add((source_iri(DOCID), RDFS.comment, Literal("left over from an old import")))
        store.replace_graph(source_graph(DOCID), orphan)
    finally:
        store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACEKG_")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "--store", str(tmp_path / "store"), "validate"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "reference: conforms" in result.stdout
    assert f"source/{DOCID}: 1 violation(s)" in result.stdout, result.stdout
    line = next(line for line in result.stdout.splitlines() if "SourceGraph-document" in line)
    assert str(source_graph(DOCID)) in line
    assert "no metadata for its document" in line and "skg:SourceDocument" in line
    assert "dct:title" in line and "skg:sha256" in line
