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


# Opens an on-disk store in a fresh interpreter, reads one document's page and says which of
# the pipeline and spaCy got imported: the document page must import neither (1.1 s at start).
FRESH_PAGE = """
import json, sys
from pathlib import Path
import app_pages.documents
from ingest.explore.documents import document_view
from ingest.store import OxigraphStore
store = OxigraphStore(Path(sys.argv[1]), read_only=True)
view = document_view(store, sys.argv[2])
print(json.dumps({"title": view.title, "id": view.metadata["document id"],
                  "pipeline": "ingest.pipeline" in sys.modules, "spacy": "spacy" in sys.modules}))
"""


def test_the_document_page_does_not_import_the_pipeline_or_spacy(
    dataset_store: OxigraphStore, tmp_path
) -> None:
    import json
    import subprocess
    import sys
    from pathlib import Path

    on_disk = OxigraphStore(tmp_path / "store")
    on_disk.raw.extend(dataset_store.raw.quads_for_pattern(None, None, None, None))
    on_disk.close()
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", FRESH_PAGE, str(tmp_path / "store"), NEWS],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        check=True,
        timeout=120,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert (seen["title"], seen["id"]) == ("NATO condemns Russian ASAT test", "aaaaaaaaaaaaaaaa")
    assert not seen["pipeline"] and not seen["spacy"]
