"""Ingestion end to end on a real embedded store with the real spaCy model."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import URIRef

from ingest import pipeline
from ingest.config import Settings
from ingest.errors import InputError
from ingest.iri import source_graph
from ingest.load import SourceText, load_text
from ingest.pipeline import (
    commit,
    ingest_paths,
    ingest_sources,
    list_documents,
    prepare,
    remove_document,
)
from ingest.store import OxigraphStore

DOCS = Path(__file__).parent / "fixtures" / "docs"
SKG = "https://w3id.org/spacekg/ontology#"

EVIDENCE_FOR_FACT = """
PREFIX skg: <https://w3id.org/spacekg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?s ?p ?o ?sentence ?confidence ?doc WHERE {
  ?e a skg:Evidence ; skg:factSubject ?s ; skg:factPredicate ?p ; skg:factObject ?o ;
     skg:sentence ?sentence ; skg:confidence ?confidence ; skg:status "asserted" ;
     prov:wasDerivedFrom ?doc .
} ORDER BY ?s ?p ?o
"""


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(DOCS, target)
    return target


def test_ingest_asserts_facts_with_evidence(
    embedded_store: OxigraphStore, docs: Path, settings: Settings
) -> None:
    report = ingest_paths(embedded_store, [docs], settings)
    assert [o.status for o in report.outcomes] == ["added", "added"]
    assert all(o.facts > 0 for o in report.outcomes)

    rows = embedded_store.query(EVIDENCE_FOR_FACT).rows
    facts = {(str(r["s"]), str(r["p"]).rsplit("#", 1)[-1], str(r["o"])) for r in rows}
    russia = "https://w3id.org/spacekg/id/actor/russia"
    assert any(s == russia and p == "conducted" for s, p, _ in facts), facts
    # every asserted plain triple has its evidence in the same document graph
    for row in rows:
        assert 0.0 <= float(row["confidence"]) <= 1.0
        graph = source_graph(str(row["doc"]).rsplit("/", 1)[-1])
        assert (row["s"], row["p"], row["o"]) in embedded_store.graph(graph)

    titles = {rec.title for rec in list_documents(embedded_store)}
    assert titles == {"Allies condemn Russia's anti-satellite test", "Finland joins the Alliance"}


def test_same_content_again_changes_nothing(
    embedded_store: OxigraphStore, docs: Path, settings: Settings
) -> None:
    ingest_paths(embedded_store, [docs], settings)
    version = embedded_store.version()
    again = ingest_paths(embedded_store, [docs], settings)
    assert [o.status for o in again.outcomes] == ["unchanged", "unchanged"]
    assert embedded_store.version() == version


def test_changed_version_of_same_path_replaces_old_graph(
    embedded_store: OxigraphStore, docs: Path, settings: Settings
) -> None:
    path = docs / "finland_membership.md"
    first = ingest_paths(embedded_store, [path], settings).outcomes[0]
    path.write_text(path.read_text() + "\nSweden became a member of NATO on 7 March 2024.\n")
    second = ingest_paths(embedded_store, [path], settings).outcomes[0]
    assert second.status == "replaced" and second.docid != first.docid
    names = embedded_store.source_graph_names()
    assert source_graph(second.docid) in names and source_graph(first.docid) not in names


@pytest.mark.parametrize("where", ["validating a part", "between written parts"])
def test_a_failing_part_leaves_the_old_version_as_it_was(
    embedded_store: OxigraphStore,
    docs: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    """A document is validated and written in parts: an error in a part's validation, or
    after parts were written, leaves the store exactly as before; the next ingest replaces."""
    from ingest import document_parts
    from ingest.errors import ValidationError

    path = docs / "russia_asat.md"
    first = ingest_paths(embedded_store, [path], settings).outcomes[0]
    before = set(embedded_store.raw.quads_for_pattern(None, None, None, None))
    path.write_text(path.read_text() + "\nChina condemned the test on 16 November 2021.\n")
    monkeypatch.setattr(document_parts, "EVIDENCE_PER_PART", 2)
    written: list[int] = []
    if where == "validating a part":
        real = document_parts.validate_graph
        calls: list[int] = []

        def failing(*args: object, **kwargs: object) -> object:
            calls.append(1)
            if len(calls) == 3:
                raise ValidationError("injected failure", str(path), "none")
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(document_parts, "validate_graph", failing)
    else:
        write = embedded_store.write_graph_parts

        def parts_then_fail(graph: URIRef, parts: object, **kwargs: object) -> None:
            def failing_parts():  # type: ignore[no-untyped-def]
                for n, part in enumerate(parts):  # type: ignore[attr-defined]
                    if n == 2:
                        written.append(len(list(embedded_store.raw)))
                        raise ValidationError("injected failure", str(path), "none")
                    yield part

            write(graph, failing_parts(), **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(embedded_store, "write_graph_parts", parts_then_fail)
    failed = ingest_paths(embedded_store, [path], settings).outcomes[0]
    assert failed.status == "failed" and "injected failure" in failed.error
    if where == "between written parts":
        assert written and written[0] > len(before)  # two parts were in the store, hidden
    assert set(embedded_store.raw.quads_for_pattern(None, None, None, None)) == before
    monkeypatch.undo()
    second = ingest_paths(embedded_store, [path], settings).outcomes[0]
    assert second.status == "replaced" and second.docid != first.docid
    assert embedded_store.source_graph_names() == [source_graph(second.docid)]
    assert second.facts >= first.facts > 0


def test_bad_file_fails_alone_and_leaves_store_as_it_was(
    embedded_store: OxigraphStore, docs: Path, settings: Settings
) -> None:
    (docs / "empty.md").write_text("   \n\n")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    report = ingest_paths(embedded_store, [docs], settings)
    by_name = {Path(o.source).name: o for o in report.outcomes}
    assert by_name["empty.md"].status == "failed" and "empty.md" in by_name["empty.md"].error
    assert by_name["binary.txt"].status == "failed"
    assert by_name["russia_asat.md"].status == "added"
    assert len(embedded_store.source_graph_names()) == 2


def test_remove_by_id_path_and_url(
    embedded_store: OxigraphStore, docs: Path, settings: Settings
) -> None:
    outcomes = ingest_paths(embedded_store, [docs], settings).outcomes
    by_name = {Path(o.source).name: o for o in outcomes}
    removed = remove_document(embedded_store, "https://example.org/spacekg-fixture/finland")
    assert [r.docid for r in removed] == [by_name["finland_membership.md"].docid]
    removed = remove_document(embedded_store, str(docs / "russia_asat.md"))
    assert [r.docid for r in removed] == [by_name["russia_asat.md"].docid]
    assert embedded_store.source_graph_names() == []
    with pytest.raises(InputError, match="no ingested document"):
        remove_document(embedded_store, "0123456789abcdef")


def test_removal_keeps_curated_and_other_documents(
    embedded_store: OxigraphStore, docs: Path, settings: Settings
) -> None:
    outcomes = ingest_paths(embedded_store, [docs], settings).outcomes
    remove_document(embedded_store, outcomes[0].docid)
    remaining = embedded_store.source_graph_names()
    assert remaining == [source_graph(outcomes[1].docid)]
    nato = URIRef("https://w3id.org/spacekg/id/actor/nato")
    assert embedded_store.query("ASK { ?s ?p ?o }", default_graph=None).boolean
    assert (nato, None, None) in embedded_store.graph(
        URIRef("https://w3id.org/spacekg/graph/reference")
    )


# --------------------------------------------------------------------------- versions in one run


def _version(body: str, title: str, url: str = "https://example.org/one-url") -> SourceText:
    return load_text(body, title=title, url=url, date="2023-04-04")


def test_later_version_of_a_url_wins_whatever_the_batch_size(
    embedded_store: OxigraphStore, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 1)  # every document in a batch of its own
    first = _version("Finland became a member of NATO.", "Draft")
    other = _version("Sweden became a member of NATO.", "Other", "https://example.org/other")
    second = _version("Finland became a member of NATO on 4 April 2023.", "Final")
    report = ingest_sources(embedded_store, [first, other, second], settings)
    assert [o.status for o in report.outcomes] == ["superseded", "added", "added"]
    assert report.outcomes[0].notes == ["superseded by Final (same url, given later): not written"]
    assert report.outcomes[2].notes[0] == "supersedes Draft (same url or path, given earlier)"
    assert sorted(embedded_store.source_graph_names()) == sorted(
        [source_graph(other.docid), source_graph(second.docid)]
    )


def test_a_failed_later_version_leaves_the_earlier_one_written(
    embedded_store: OxigraphStore, settings: Settings
) -> None:
    first = _version("Finland became a member of NATO.", "Draft")
    # A title the shapes refuse (load_text would refuse it first): the document fails.
    broken = replace(_version("Finland became a member of NATO in 2023.", "x"), title=" ")
    report = ingest_sources(embedded_store, [first, broken], settings)
    assert [o.status for o in report.outcomes] == ["added", "failed"]
    assert "document metadata violates the shapes" in report.outcomes[1].error
    assert embedded_store.source_graph_names() == [source_graph(first.docid)]


def test_same_content_twice_in_one_run_is_written_once(
    embedded_store: OxigraphStore, docs: Path, settings: Settings
) -> None:
    original = docs / "finland_membership.md"
    copy = docs / "zz_copy.md"
    copy.write_text(original.read_text().replace("spacekg-fixture/finland", "copy"))
    report = ingest_paths(embedded_store, [original, copy], settings)
    assert [o.status for o in report.outcomes] == ["added", "unchanged"]
    assert report.outcomes[1].notes == [f"same content as {original.resolve()}"]
    assert len(embedded_store.source_graph_names()) == 1


def test_an_unchanged_later_version_removes_stored_earlier_versions(
    embedded_store: OxigraphStore, settings: Settings
) -> None:
    """A store holding two versions of one url (as the batch bug left them) is put right."""
    first = _version("Finland became a member of NATO.", "Draft")
    second = _version("Finland became a member of NATO on 4 April 2023.", "Final")
    embedded_store.ensure_reference()
    for source in (first, second):  # written side by side, without replacing each other
        (prepared,) = prepare([source], embedded_store, settings)
        commit(embedded_store, replace(prepared, replaces=[]))
    assert len(embedded_store.source_graph_names()) == 2
    report = ingest_sources(embedded_store, [first, second], settings)
    assert [o.status for o in report.outcomes] == ["superseded", "replaced"]
    assert "content unchanged" in report.outcomes[1].notes
    assert embedded_store.source_graph_names() == [source_graph(second.docid)]


def test_outcomes_keep_the_order_of_the_files(
    embedded_store: OxigraphStore, docs: Path, settings: Settings
) -> None:
    (docs / "b_empty.md").write_text("")
    report = ingest_paths(embedded_store, [docs], settings)
    assert [(Path(o.source).name, o.status) for o in report.outcomes] == [
        ("b_empty.md", "failed"),
        ("finland_membership.md", "added"),
        ("russia_asat.md", "added"),
    ]


def test_a_graph_without_document_metadata_can_be_removed_by_id(
    embedded_store: OxigraphStore,
) -> None:
    from rdflib import Graph, Literal
    from rdflib.namespace import RDFS

    from ingest.iri import source_iri

    docid = "0123456789abcdef"
    orphan = Graph()
    orphan.add((source_iri(docid), RDFS.comment, Literal("left over")))
    embedded_store.replace_graph(source_graph(docid), orphan)
    assert list_documents(embedded_store) == []
    assert [r.docid for r in remove_document(embedded_store, docid[:8])] == [docid]
    assert embedded_store.source_graph_names() == []
