"""ingest.curated_documents: an ingested copy of a curated document is linked to it."""

from __future__ import annotations

from rdflib import PROV, URIRef

from ingest.config import CORPUS_DIR, ID_NS, Settings
from ingest.curated_documents import copy_of, dates_agree, url_key
from ingest.iri import source_graph
from ingest.load import load_file, load_text
from ingest.pipeline import ingest_sources
from ingest.store import OxigraphStore

POLICY = URIRef(ID_NS + "document/overarching-space-policy")
COMMERCIAL = URIRef(ID_NS + "document/nato-commercial-space-strategy")


def test_url_keys_ignore_what_does_not_tell_pages_apart() -> None:
    assert url_key(
        "https://www.nato.int/cps/en/natohq/official_texts_190862.htm?utm_source=x#top"
    ) == ("nato.int/cps/en/natohq/official_texts_190862.htm")
    assert url_key("http://nato.int:443/a/?selectedLocale=en") == "nato.int/a?selectedLocale=en"


def test_dates_agree_within_a_week_or_at_a_coarser_precision() -> None:
    assert dates_agree("2025-02-13", "2025-02-18")
    assert not dates_agree("2025-02-13", "2025-03-13")
    assert dates_agree("2025", "2025-02-13")
    assert not dates_agree(None, "2025-02-13")


def test_the_corpus_copies_are_found_by_url_and_by_title_and_date() -> None:
    policy = load_file(CORPUS_DIR / "nato_overarching_space_policy_2022.md")
    commercial = load_file(CORPUS_DIR / "nato_commercial_space_strategy_2025.md")
    assert copy_of(policy) is not None and copy_of(policy)[0].iri == POLICY
    assert copy_of(commercial) == (copy_of(commercial)[0], "the same title and date")
    assert copy_of(commercial)[0].iri == COMMERCIAL
    assert copy_of(load_file(CORPUS_DIR / "viasat_kasat_overview_2022.md")) is None


def test_a_title_alone_or_a_distant_date_is_not_enough() -> None:
    body = "NATO's Commercial Space Strategy sets out how the Alliance works with industry."
    assert copy_of(load_text(body, title="NATO Commercial Space Strategy")) is None
    far = load_text(body, title="NATO Commercial Space Strategy | NATO", date="2024-02-13")
    assert copy_of(far) is None
    near = load_text(body, title="NATO Commercial Space Strategy | NATO", date="2025-02-14")
    assert copy_of(near) is not None and copy_of(near)[0].iri == COMMERCIAL


def test_an_ingested_copy_is_one_document_with_both_sources(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = OxigraphStore(tmp_path / "store")
    settings = Settings.from_env()
    from ingest.explore.overview import overview_counts

    store.ensure_reference()
    before = overview_counts(store)["documents"]
    source = load_file(CORPUS_DIR / "nato_commercial_space_strategy_2025.md")
    report = ingest_sources(store, [source], settings)
    assert not report.failed
    assert any(
        "the curated document 'NATO Commercial Space Strategy'" in n
        for n in report.outcomes[0].notes
    )
    graph = store.graph(source_graph(source.docid))
    assert (None, PROV.alternateOf, COMMERCIAL) in graph
    assert overview_counts(store)["documents"] == before
    store.close()
