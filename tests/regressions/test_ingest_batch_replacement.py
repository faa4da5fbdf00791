"""Defect 8: replacement by url or path must not depend on batch boundaries.

Two versions of one url (or path) in one ingest were both kept, and re-ingesting a folder after
a partial (interrupted) ingest dropped documents that were in the input and reported unchanged.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ingest.config import Settings
from ingest.iri import source_graph
from ingest.load import load_text
from ingest.pipeline import ingest_paths, ingest_sources, list_documents
from ingest.store import OxigraphStore

SETTINGS = Settings.from_env()


def doc(title: str, url: str, body: str) -> str:
    return f'---\ntitle: "{title}"\ndate: 2023-04-04\nurl: "{url}"\nkind: news\n---\n{body}\n'


def write_folder(folder: Path) -> dict[str, Path]:
    """a.md and c.md are two versions of one url; c.md comes later in sorted order."""
    folder.mkdir()
    files = {
        "a": ("Version one", "https://example.org/statement", "Finland became a member of NATO."),
        "b": ("Other news", "https://example.org/other", "Sweden became a member of NATO."),
        "c": (
            "Version two",
            "https://example.org/statement",
            "Finland became a member of NATO on 4 April 2023.",
        ),
        "d": ("More news", "https://example.org/more", "Russia tested an anti-satellite missile."),
    }
    paths = {}
    for name, (title, url, body) in files.items():
        paths[name] = folder / f"{name}.md"
        paths[name].write_text(doc(title, url, body), encoding="utf-8")
    return paths


def titles(store: OxigraphStore) -> Counter[str]:
    return Counter(rec.title for rec in list_documents(store))


def test_two_versions_of_one_url_in_one_ingest_keep_only_the_later(
    tmp_path: Path, spacekg_nlp: object
) -> None:
    paths = write_folder(tmp_path / "docs")
    store = OxigraphStore(tmp_path / "store")
    try:
        report = ingest_paths(store, [tmp_path / "docs"], SETTINGS)
        by_name = {Path(o.source).name: o for o in report.outcomes}
        assert [Path(o.source).name for o in report.outcomes] == ["a.md", "b.md", "c.md", "d.md"]
        assert by_name["a.md"].status == "superseded"
        assert any(str(paths["c"]) in note for note in by_name["a.md"].notes), by_name["a.md"]
        assert by_name["c.md"].status == "added"
        assert titles(store) == Counter(["Version two", "Other news", "More news"])
        assert source_graph(by_name["a.md"].docid) not in store.source_graph_names()
        assert not report.failed
    finally:
        store.close()


def test_two_versions_of_one_path_in_one_ingest_keep_only_the_later(
    tmp_path: Path, spacekg_nlp: object
) -> None:
    first = load_text("Finland became a member of NATO.", title="Draft", path="/docs/report.md")
    second = load_text(
        "Finland became a member of NATO on 4 April 2023.", title="Final", path="/docs/report.md"
    )
    store = OxigraphStore(tmp_path / "store")
    try:
        report = ingest_sources(store, [first, second], SETTINGS)
        assert [o.status for o in report.outcomes] == ["superseded", "added"]
        assert store.source_graph_names() == [source_graph(second.docid)]
    finally:
        store.close()


def test_reingest_after_a_partial_ingest_keeps_every_document_exactly_once(
    tmp_path: Path, spacekg_nlp: object
) -> None:
    paths = write_folder(tmp_path / "docs")
    whole = OxigraphStore(tmp_path / "whole")
    resumed = OxigraphStore(tmp_path / "resumed")
    try:
        ingest_paths(whole, [tmp_path / "docs"], SETTINGS)
        # An interrupted ingest had written c.md and d.md before it stopped.
        partial = ingest_paths(resumed, [paths["c"], paths["d"]], SETTINGS)
        assert [o.status for o in partial.outcomes] == ["added", "added"]
        again = ingest_paths(resumed, [tmp_path / "docs"], SETTINGS)
        status = {Path(o.source).name: o.status for o in again.outcomes}
        assert status == {
            "a.md": "superseded",
            "b.md": "added",
            "c.md": "unchanged",
            "d.md": "unchanged",
        }
        expected = Counter(["Version two", "Other news", "More news"])
        assert titles(resumed) == expected
        assert sorted(resumed.source_graph_names()) == sorted(whole.source_graph_names())
        # every document reported unchanged or added is in the store
        names = set(resumed.source_graph_names())
        for outcome in again.outcomes:
            if outcome.status in ("added", "unchanged", "replaced"):
                assert source_graph(outcome.docid) in names, outcome
    finally:
        whole.close()
        resumed.close()
