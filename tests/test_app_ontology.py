"""The Ontology page and the Overview's link to it, with Streamlit's AppTest on a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH
from streamlit.testing.v1 import AppTest

from ingest.config import SHAPES_FILE

APP = Path(__file__).parents[1] / "app.py"
TIMEOUT = 120


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """The app on a new embedded store (the curated graphs only): the page needs no documents."""
    monkeypatch.setenv("SPACEKG_STORE", str(tmp_path / "store"))
    monkeypatch.delenv("SPACEKG_ENDPOINT", raising=False)
    yield AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def _run(at: AppTest, page: str) -> AppTest:
    at.query_params["page"] = page
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_ontology_page_shows_the_ontology_and_every_shape(app: AppTest) -> None:
    at = _run(app, "ontology")
    assert at.title[0].value == "Ontology"
    frames = [el.proto.srcdoc for el in at.get("iframe")]
    assert len(frames) == 2, "one frame for the ontology, one for the shapes"
    ontology, shapes = frames
    assert "<title>spacekg ontology</title>" in ontology
    assert "https://w3id.org/spacekg/ontology#Actor" in ontology
    for shape in Graph().parse(SHAPES_FILE).subjects(RDF.type, SH.NodeShape):
        assert str(shape) in shapes, shape
    downloads = [el.proto.label for el in at.get("download_button")]
    assert downloads == ["Download the ontology page (HTML)", "Download the shapes page (HTML)"]


def test_overview_links_to_the_ontology_page(app: AppTest) -> None:
    at = _run(app, "overview")
    links = {el.proto.label: el.proto.page for el in at.get("page_link")}
    label = "Ontology documentation: classes, properties and SHACL shapes"
    assert label in links, sorted(links)
    assert links[label].endswith("ontology")
