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
