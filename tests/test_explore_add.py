"""ingest.explore.add: metadata checked before the pipeline runs, the documents one may remove.

What a prepared document would add (`preview_facts`, `preview_entities`) is tested through the
Add document page in test_app.py, with the real pipeline.
"""

from __future__ import annotations

import pytest

from ingest.errors import InputError
from ingest.explore.add import check_metadata, document_choices
from ingest.store import OxigraphStore


@pytest.mark.parametrize(
    ("date", "url"),
    [("2021-11-19", ""), ("2021-11", "https://www.nato.int/cps/en/natohq/news.htm"), ("", "")],
)
def test_metadata_the_shapes_accept_passes(date: str, url: str) -> None:
    check_metadata(date, url)


@pytest.mark.parametrize(
    ("date", "url", "what"),
    [
        ("19 November 2021", "", "date"),
        ("2021-02-30", "", "date"),
        ("", "www.nato.int", "url"),
        ("", "javascript:alert(1)", "url"),
    ],
)
def test_metadata_the_shapes_reject_is_refused_first(date: str, url: str, what: str) -> None:
    with pytest.raises(InputError, match=what):
        check_metadata(date, url)


def test_only_ingested_documents_can_be_removed(dataset_store: OxigraphStore) -> None:
    choices = document_choices(dataset_store)
    assert [c["docid"] for c in choices] == ["bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa"]  # newest first
    assert "London Declaration" not in {c["title"] for c in choices}  # curated: not removable


def test_the_same_text_is_found_already_in_the_graph(dataset_store: OxigraphStore) -> None:
    from ingest.explore.add import already_in_graph

    known = already_in_graph(dataset_store, "aaaaaaaaaaaaaaaa")
    assert known is not None and known["document"].endswith("/source/aaaaaaaaaaaaaaaa")
    assert known["title"] == next(
        c["title"] for c in document_choices(dataset_store) if c["docid"] == "aaaaaaaaaaaaaaaa"
    )
    assert already_in_graph(dataset_store, "0123456789abcdef") is None


def test_a_removal_says_what_it_takes(dataset_store: OxigraphStore) -> None:
    from ingest.explore.add import removal_summary

    what = removal_summary(dataset_store, "aaaaaaaaaaaaaaaa")
    assert what is not None and what["facts"] >= 1 and what["title"]
    assert removal_summary(dataset_store, "0123456789abcdef") is None


def test_only_mentions_and_the_highlight_come_from_the_prepared_document(
    embedded_store: OxigraphStore,
) -> None:
    from ingest.config import Settings
    from ingest.explore.add import mention_html, only_mentions
    from ingest.load import load_text
    from ingest.pipeline import prepare

    embedded_store.ensure_reference()
    names, fact = prepare(
        [
            load_text("France. Finland. Germany. NATO.", title="names"),
            load_text("Russia conducted an anti-satellite missile test.", title="a fact"),
        ],
        embedded_store,
        Settings.from_env(),
    )
    assert only_mentions(names) and only_mentions(names).startswith("only mentions:")
    assert only_mentions(fact) is None
    markup = mention_html(fact)
    assert '<mark class="entity"' in markup and "ACTOR" in markup and "Russia" in markup
    assert "<script" not in mention_html(
        prepare(
            [load_text("<script>x</script> Russia.", title="t")],
            embedded_store,
            Settings.from_env(),
        )[0]
    )
