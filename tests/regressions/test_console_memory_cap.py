"""Defect 3: no memory cap. A sorted cross join grew ~400 MB/s until the time limit.

The worker's address space may grow only by the memory limit (RLIMIT_AS); hitting it is
reported as clearly as the time limit.
"""

from __future__ import annotations

from pathlib import Path

from _hostile import small_store, spacekg

HOSTILE = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


def test_hostile_sort_stops_at_the_memory_cap(tmp_path: Path) -> None:
    store = small_store(tmp_path / "store", triples=300)
    code, _, err, seconds = spacekg(
        "--store",
        str(store),
        "sparql",
        HOSTILE,
        "--timeout",
        "8",
        env={"SPACEKG_QUERY_MEMORY_MB": "256"},
    )
    assert code == 1
    assert "256 MiB memory limit" in err, err
    assert "SPACEKG_QUERY_MEMORY_MB" in err
    assert seconds < 8  # the cap stopped it, not the deadline


def test_a_small_query_fits_a_small_cap(tmp_path: Path) -> None:
    store = small_store(tmp_path / "store", triples=300)
    code, out, err, _ = spacekg(
        "--store",
        str(store),
        "sparql",
        "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s <urn:p1> ?o } }",
        "--format",
        "csv",
        env={"SPACEKG_QUERY_MEMORY_MB": "64"},
    )
    assert code == 0, err
    assert out.split() == ["n", "43"]  # i % 7 == 1 for i < 300
