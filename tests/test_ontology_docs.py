"""`make docs`: the ontology and SHACL shapes as HTML, built offline from the Turtle files.

The names to find are read from the ontology and shapes with rdflib, so a term added to the
Turtle and missing from the pages fails here.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from ingest.config import ONTOLOGY_FILE, SHAPES_FILE
from ingest.ontology_docs import ONTOLOGY_PAGE, SHAPES_PAGE, describe

ROOT = Path(__file__).parents[1]
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


class _Page(HTMLParser):
    """A page's element ids (the anchors a link can point at) and its text, unescaped."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.chunks: list[str] = []
        self.feed(page)
        self.text = " ".join(" ".join(self.chunks).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs built by the script `make docs` runs, in a fresh process, into a temp folder."""
    out = tmp_path_factory.mktemp("docs")
    done = subprocess.run(
        [sys.executable, "-m", "ingest.ontology_docs", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {out / ONTOLOGY_PAGE}" in done.stdout
    return out


def test_make_docs_calls_the_builder_into_docs_ontology() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "python -m ingest.ontology_docs --out docs/ontology" in makefile
    # Derived files: built by the one command, never committed.
    assert "docs/ontology/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_ontology_page_names_every_class_and_property(built: Path) -> None:
    page = (built / ONTOLOGY_PAGE).read_text(encoding="utf-8")
    graph = Graph().parse(ONTOLOGY_FILE)
    terms = {t for kind in TERM_TYPES for t in graph.subjects(RDF.type, kind)}
    terms = {t for t in terms if isinstance(t, URIRef)}
    assert len(terms) > 50
    missing = [t for t in terms if str(t) not in page]
    assert not missing, f"terms without an entry: {sorted(missing)}"
    text = _Page(page).text
    labels = {str(label) for t in terms for label in graph.objects(t, RDFS.label)}
    unlabelled = [label for label in labels if _words(label) not in text]
    assert not unlabelled, unlabelled
    # The header is the ontology's own, not a concept scheme's (pyLODE reads those as headers).
    assert "<title>spacekg ontology</title>" in page
    assert "The spacekg project" in page


def test_shapes_page_names_and_anchors_every_shape(built: Path) -> None:
    page = (built / SHAPES_PAGE).read_text(encoding="utf-8")
    graph = Graph().parse(SHAPES_FILE)
    shapes = {
        s for kind in (SH.NodeShape, SH.PropertyShape) for s in graph.subjects(RDF.type, kind)
    }
    assert len(shapes) > 50
    parser = _Page(page)
    for shape in shapes:
        assert str(shape) in page, shape
        assert str(shape).rsplit("#", 1)[-1] in parser.ids, f"no anchor for {shape}"
    for message in graph.objects(None, SH.message):
        assert _words(message) in parser.text, message
    assert "https://w3id.org/spacekg/shapes/" in page  # its version IRI


def test_constraints_read_as_turtle_words() -> None:
    graph = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix ex: <https://example.org/> .
        ex:s sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYear ] ) ;
             sh:path [ sh:inversePath ex:p ] .
        """,
        format="turtle",
    )
    s = URIRef("https://example.org/s")
    assert describe(graph, graph.value(s, SH["or"])) == (
        "( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYear ] )"
    )
    assert describe(graph, graph.value(s, SH.path)) == "^ex:p"


def test_rendering_leaves_the_root_logger_alone() -> None:
    """Regression: importing pyLODE calls logging.basicConfig(level=DEBUG) for the process.

    Run in a fresh process, where pyLODE is imported for the first time.
    """
    script = (
        "import logging\n"
        "from ingest.ontology_docs import ontology_html\n"
        "assert 'spacekg ontology' in ontology_html()\n"
        "root = logging.getLogger()\n"
        "print(logging.getLevelName(root.level), len(root.handlers))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["WARNING", "0"]
    assert "DEBUG" not in done.stderr and "INFO" not in done.stderr, done.stderr
