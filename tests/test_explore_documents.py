"""ingest.explore.documents: an ingested or curated document's metadata, text and facts.

Read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real embedded store;
the ingested documents' files are not on disk, so their pages show the evidence sentences.
"""

from __future__ import annotations

import pytest

from ingest.errors import InputError
from ingest.explore.documents import document_view, source_record
from ingest.store import OxigraphStore

ID = "https://w3id.org/spacekg/id/"
NEWS = ID + "source/aaaaaaaaaaaaaaaa"


def test_an_ingested_document_shows_its_metadata_and_facts(dataset_store: OxigraphStore) -> None:
    view = document_view(dataset_store, NEWS)
    assert view.title == "NATO condemns Russian ASAT test"
    assert view.metadata["document id"] == "aaaaaaaaaaaaaaaa"
    assert (view.metadata["facts"], view.metadata["review facts"]) == ("6", "1")
    assert view.text is None and "corpus/asat-test.md" in view.text_note  # the file is gone
    facts = {(f["subjectLabel"], f["property"], f["objectLabel"]): f for f in view.facts}
    assert facts[("Russia", "hasCapability", "direct-ascent ASAT")]["source"] == "asserted"
    assert facts[("China", "hasCapability", "co-orbital ASAT")]["source"] == "review"
    # what the document says comes before what it only mentions
    assert view.facts[-1]["property"] == "mentions"
    # without the text, the page shows the evidence sentences in their order in the text
    starts = [start for start, _ in view.sentences]
    assert starts == sorted(starts) and len(starts) == 5  # seven facts in five sentences


def test_a_curated_document_has_no_text_but_its_facts(dataset_store: OxigraphStore) -> None:
    view = document_view(dataset_store, ID + "document/london-declaration")
    assert view.title == "London Declaration"
    assert view.text is None and view.text_note.startswith("curated document")
    assert view.metadata["declares"] == "operational domain"
    assert source_record(dataset_store, ID + "document/london-declaration") is None
    assert {f["otherLabel"] for f in view.facts} == {"operational domain", "NATO"}


def test_a_removed_document_is_an_input_error(dataset_store: OxigraphStore) -> None:
    with pytest.raises(InputError, match="no document"):
        document_view(dataset_store, ID + "source/0000000000000000")
