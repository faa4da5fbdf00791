"""The `spacekg` console script, run as a user would (a real process, a real store)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

ROOT = Path(__file__).resolve().parents[1]
SPACEKG = [sys.executable, "-m", "ingest.cli"]
ORG = "http://www.w3.org/ns/org#"
SKG = "https://w3id.org/spacekg/ontology#"
NATO = URIRef("https://w3id.org/spacekg/id/actor/nato")


def run(*args: str, store: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACEKG_")}
    command = [*SPACEKG, *(["--store", str(store)] if store else []), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert lines, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_validate_new_store_conforms_on_reference_data(tmp_path: Path) -> None:
    result = run("validate", store=tmp_path / "s")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reference: conforms" in result.stdout


def test_export_lists_32_nato_members_with_accession_dates(tmp_path: Path) -> None:
    out = tmp_path / "all.nq"
    assert run("export", "--format", "nquads", "-o", str(out), store=tmp_path / "s").returncode == 0
    dataset = Dataset(default_union=True)
    dataset.parse(out, format="nquads")
    members = {}
    for membership in dataset.subjects(URIRef(ORG + "organization"), NATO):
        member = dataset.value(membership, URIRef(ORG + "member"))
        members[member] = dataset.value(membership, URIRef(SKG + "startDate"))
    assert len(members) == 32
    finland = URIRef("https://w3id.org/spacekg/id/actor/finland")
    assert members[finland] == Literal("2023-04-04", datatype=XSD.date)
    assert members[URIRef("https://w3id.org/spacekg/id/actor/sweden")] == Literal(
        "2024-03-07", datatype=XSD.date
    )


@pytest.mark.parametrize("fmt,suffix", [("nquads", "nq"), ("trig", "trig"), ("jsonld", "jsonld")])
def test_export_import_round_trip(tmp_path: Path, fmt: str, suffix: str) -> None:
    first = tmp_path / f"first.{suffix}"
    assert run("export", "--format", fmt, "-o", str(first), store=tmp_path / "a").returncode == 0
    restored = run("import", str(first), store=tmp_path / "b")
    assert restored.returncode == 0, restored.stderr
    second = tmp_path / f"second.{suffix}"
    assert run("export", "--format", fmt, "-o", str(second), store=tmp_path / "b").returncode == 0
    a, b = Dataset(), Dataset()
    rdflib_fmt = {"nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt]
    a.parse(first, format=rdflib_fmt)
    b.parse(second, format=rdflib_fmt)
    names = {g.identifier for g in a.graphs() if len(g)}
    assert names == {g.identifier for g in b.graphs() if len(g)} and len(names) >= 2
    for name in names:
        assert isomorphic(a.graph(name), b.graph(name)), name


def test_stats_counts_reference_data(tmp_path: Path) -> None:
    result = run("stats", store=tmp_path / "s")
    assert result.returncode == 0, result.stderr
    assert "source documents" in result.stdout
    actors = re.search(r"\bActor\b\D*(\d+)", result.stdout)
    assert actors and int(actors.group(1)) >= 40, result.stdout


def test_errors_are_one_line(tmp_path: Path) -> None:
    assert_one_line_error(run("export", "--format", "xml", store=tmp_path / "s"), "xml")
    assert_one_line_error(
        run("import", str(tmp_path / "missing.nq"), store=tmp_path / "s"), "missing.nq"
    )
    assert_one_line_error(run("remove", "ffffffffffff", store=tmp_path / "s"), "ffffffffffff")
    not_a_store = tmp_path / "file"
    not_a_store.write_text("x")
    assert_one_line_error(run("stats", store=not_a_store), str(not_a_store))


def test_ingest_reports_failed_file_and_keeps_the_rest(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_text(
        (ROOT / "tests/fixtures/docs/finland_membership.md").read_text(), encoding="utf-8"
    )
    (docs / "bad.md").write_text("---\ntitle: [unclosed\n", encoding="utf-8")
    result = run("ingest", str(docs), store=tmp_path / "s")
    assert result.returncode == 1
    assert "bad.md" in result.stderr and "Traceback" not in result.stderr
    listing = run("docs", store=tmp_path / "s")
    assert "Finland joins the Alliance" in listing.stdout


def test_ingest_options_threshold_and_size_limit(tmp_path: Path) -> None:
    doc = ROOT / "tests/fixtures/docs/finland_membership.md"
    strict = run("ingest", "--min-confidence", "1.0", str(doc), store=tmp_path / "strict")
    assert strict.returncode == 0, strict.stderr
    lenient = run("ingest", "--min-confidence", "0.0", str(doc), store=tmp_path / "lenient")
    assert lenient.returncode == 0, lenient.stderr

    def row(output: str) -> list[str]:
        line = next(line for line in output.splitlines() if "finland_membership.md" in line)
        return [cell.strip() for cell in line.split("│")]

    # columns: file, status, id, facts, review, ...: nothing is asserted at 1.0, nothing held at 0
    strict_facts, strict_review = int(row(strict.stdout)[4]), int(row(strict.stdout)[5])
    lenient_facts, lenient_review = int(row(lenient.stdout)[4]), int(row(lenient.stdout)[5])
    assert lenient_review == 0 and strict_review > 0
    assert strict_facts < lenient_facts

    too_big = run("ingest", "--max-bytes", "100", str(doc), store=tmp_path / "small")
    assert too_big.returncode == 1
    assert "finland_membership.md" in too_big.stderr and "Traceback" not in too_big.stderr
    out_of_range = run("ingest", "--min-confidence", "2", str(doc), store=tmp_path / "x")
    assert out_of_range.returncode != 0 and "min-confidence" in out_of_range.stderr


def test_sparql_verb_reports_the_row_limit_and_refuses_updates(tmp_path: Path) -> None:
    store = tmp_path / "s"
    query = "SELECT ?m WHERE { ?m <https://w3id.org/spacekg/ontology#memberOf> ?o }"
    limited = run("sparql", "--limit", "3", "--format", "csv", query, store=store)
    assert limited.returncode == 0, limited.stderr
    assert len(limited.stdout.strip().splitlines()) == 1 + 3  # header and three rows
    assert "row limit (3)" in limited.stderr
    update = run("sparql", "DELETE WHERE { ?s ?p ?o }", store=store)
    assert_one_line_error(update, "updates are not allowed")
    assert "memberOf" not in update.stdout
