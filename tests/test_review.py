"""ingest.review: a reviewer accepts or rejects a fact held for review; the graph remembers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import URIRef

from ingest.config import Settings
from ingest.errors import InputError
from ingest.iri import is_review_graph
from ingest.load import load_text
from ingest.pipeline import ingest_sources, remove_document
from ingest.review import (
    ReviewItem,
    decide,
    decisions,
    evidence_ref,
    pending,
    rejected_facts,
)
from ingest.store import OxigraphStore, Store
from ingest.vocab import SKG

TEXT = (
    "Russia conducted a direct-ascent anti-satellite missile test against Kosmos 1408 on "
    "15 November 2021. China operates the Yaogan-30 satellites."
)


def everything_for_review() -> Settings:
    """Every extracted fact below the threshold: all of them wait for a reviewer."""
    return replace(Settings.from_env(), min_confidence=1.0)


def source(text: str = TEXT):  # type: ignore[no-untyped-def]
    return load_text(text, title="Review test", date="2021-11-16", path="notes/review.txt")


def asserted(store: Store, triple: tuple) -> bool:  # type: ignore[type-arg]
    """The plain triple is in some graph (what queries that ignore evidence see)."""
    s, p, o = triple
    return any((s, p, o) in g for g in store.dataset().graphs())


def operates(store: Store) -> ReviewItem:
    """A fact only the text states (the 2021 test is curated): China operates Yaogan-30."""
    return max(
        (i for i in pending(store) if i.predicate == SKG.operates), key=lambda i: i.confidence
    )


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = OxigraphStore(tmp_path / "store")
    store.ensure_reference()
    ingest_sources(store, [source()], everything_for_review())
    yield store
    store.close()


def test_review_facts_wait_unasserted_with_their_sentence(store: OxigraphStore) -> None:
    items = [i for i in pending(store) if i.predicate != SKG.mentions]
    assert {i.predicate for i in items} >= {SKG.conducted, SKG.operates}
    for item in items:
        assert item.sentence and item.sentence in TEXT
        assert item.title == "Review test"
    item = operates(store)
    assert not asserted(store, (item.subject, item.predicate, item.object))


def test_accepting_asserts_the_fact_with_who_and_when(store: OxigraphStore) -> None:
    item = operates(store)
    fact = (item.subject, item.predicate, item.object)
    decision = decide(store, item.evidence, "accepted", "A. Analyst")
    assert asserted(store, fact)
    assert decision.reviewer == "A. Analyst" and decision.time.startswith("20")
    assert [d.evidence for d in decisions(store)] == [item.evidence]
    assert item.evidence not in {i.evidence for i in pending(store)}
    review_graphs = [g for g in store.graph_names() if is_review_graph(g)]
    assert len(review_graphs) == 1


def test_a_rejected_fact_stays_out_after_the_document_changes(store: OxigraphStore) -> None:
    item = operates(store)
    fact = (item.subject, item.predicate, item.object)
    decide(store, item.evidence, "rejected", "A. Analyst")
    assert fact in rejected_facts(store)
    changed = source(TEXT + " The test created more than 1,500 pieces of debris.")
    report = ingest_sources(store, [changed], everything_for_review())
    assert report.outcomes[0].status == "replaced"
    assert fact not in {(i.subject, i.predicate, i.object) for i in pending(store)}
    assert not asserted(store, fact)
    assert any("rejected by a reviewer before" in n for n in report.outcomes[0].notes)


def test_a_rejection_holds_for_every_document_of_a_batch(store: OxigraphStore) -> None:
    """Regression: the second document of a batch crashed the rejection check."""
    item = operates(store)
    decide(store, item.evidence, "rejected", "A. Analyst")
    others = [
        load_text(f"{TEXT} Report {n}.", title=f"Copy {n}", date="2021-11-17", path=f"c{n}.txt")
        for n in range(3)
    ]
    report = ingest_sources(store, others, everything_for_review())
    assert [o.status for o in report.outcomes] == ["added"] * 3
    assert all(any("rejected by a reviewer before" in n for n in o.notes) for o in report.outcomes)
    assert not asserted(store, (item.subject, item.predicate, item.object))


def test_deciding_again_replaces_the_decision(store: OxigraphStore) -> None:
    item = operates(store)
    decide(store, item.evidence, "accepted", "A. Analyst")
    decide(store, item.evidence, "rejected", "B. Reviewer")
    (only,) = decisions(store)
    assert (only.verdict, only.reviewer) == ("rejected", "B. Reviewer")
    assert not asserted(store, (item.subject, item.predicate, item.object))


def test_removing_the_document_takes_its_accepted_facts(store: OxigraphStore) -> None:
    item = operates(store)
    decide(store, item.evidence, "accepted", "A. Analyst")
    remove_document(store, "notes/review.txt")
    assert not asserted(store, (item.subject, item.predicate, item.object))
    assert decisions(store) == []


def test_bad_decisions_get_a_clear_error(store: OxigraphStore) -> None:
    item = operates(store)
    with pytest.raises(InputError, match="reviewer's name"):
        decide(store, item.evidence, "accepted", "  ")
    with pytest.raises(InputError, match="no evidence with this id"):
        decide(store, evidence_ref("skgid:evidence/0000000000000000"), "accepted", "A")
    with pytest.raises(InputError, match="not an evidence id"):
        evidence_ref("skgid:actor/russia")
    assert evidence_ref(str(item.evidence).rsplit("/", 1)[-1]) == URIRef(item.evidence)
    assert decisions(store) == []


def test_the_reasoner_reads_accepted_facts(store: OxigraphStore) -> None:
    from ingest.iri import INFERRED_GRAPH
    from ingest.reason import reason_store

    item = operates(store)
    decide(store, item.evidence, "accepted", "A. Analyst")
    result = reason_store(store, engine="owlrl")
    assert result.consistent
    assert (item.object, SKG.operatedBy, item.subject) in store.graph(INFERRED_GRAPH)
