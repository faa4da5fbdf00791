"""HTML documentation of the ontology and the SHACL shapes (`make docs` -> docs/ontology/).

The ontology page is pyLODE's OntPub profile: a maintained LODE-style renderer that reads the
`owl:Ontology` header, classes, properties, domains and ranges. pyLODE has no view of SHACL
shapes (OntPub lists none of them; its Supermodel profile wants a profile model and fetches
imports over HTTP), so the shapes page is built here with dominate, the HTML library pyLODE
itself uses, and pyLODE's stylesheet, so both pages look alike. Everything is read from the
local Turtle files: nothing is fetched at build time. The output is derived: never edit it.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from types import ModuleType

import dominate
from dominate.tags import (
    a,
    code,
    dd,
    div,
    dl,
    h1,
    h2,
    h3,
    li,
    p,
    style,
    table,
    tbody,
    td,
    th,
    thead,
    tr,
    ul,
)
from dominate.tags import dt as dterm
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SDO, SH, SKOS
from rdflib.term import Node

from .config import ONTOLOGY_FILE, ROOT, SHAPES_FILE
from .ontology import load_turtle

DOCS_DIR = ROOT / "docs" / "ontology"
ONTOLOGY_PAGE = "index.html"
SHAPES_PAGE = "shapes.html"
# Predicates shown in a shape's own rows rather than among its constraints.
_SHAPE_TEXT = frozenset({RDF.type, RDFS.label, RDFS.comment, SH.message, SH.property, SH.path})
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


@contextmanager
def _root_logging_kept() -> Iterator[None]:
    """Undo pyLODE's changes to the root logger.

    It calls `logging.basicConfig(level=DEBUG)` when imported, and the module-level
    `logging.info` while rendering, which installs a stderr handler on the root logger.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def _import_pylode() -> ModuleType:
    with _root_logging_kept():
        import pylode
    return pylode


def ontology_html(path: Path = ONTOLOGY_FILE) -> str:
    """The ontology as one self-contained HTML page (pyLODE OntPub, CSS inlined)."""
    pylode = _import_pylode()
    # OntPub adds inferred triples to the graph it is given: a fresh parse, never the
    # process-wide cached ontology graph.
    graph = load_turtle(path)
    # OntPub reads every skos:ConceptScheme as one more document header (their titles and
    # IRIs end up in the page's title and metadata). Our two schemes are vocabularies inside
    # the ontology, not its header: the copy handed to pyLODE does not type them as schemes.
    graph.remove((None, RDF.type, SKOS.ConceptScheme))
    with _root_logging_kept():
        return str(pylode.OntPub(graph).make_html(include_css=True))


def _pylode_css() -> str:
    pylode = _import_pylode()
    return (resources.files(pylode) / "pylode.css").read_text(encoding="utf-8")


def _short(graph: Graph, term: Node) -> str:
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.curie(str(term), generate=False)
        except (KeyError, ValueError):
            return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3(graph.namespace_manager)
    return str(term)


def describe(graph: Graph, node: Node) -> str:
    """A constraint value in Turtle-like words: lists, nested shapes and property paths."""
    if isinstance(node, BNode):
        if (node, RDF.first, None) in graph:
            return "( " + " ".join(describe(graph, item) for item in Collection(graph, node)) + " )"
        inverse = graph.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + describe(graph, inverse)
        parts = [
            f"{_short(graph, pred)} {describe(graph, obj)}"
            for pred, obj in sorted(graph.predicate_objects(node), key=lambda po: str(po[0]))
        ]
        return "[ " + " ; ".join(parts) + " ]"
    return _short(graph, node)


def _local(term: Node) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _constraints(graph: Graph, shape: Node) -> list[tuple[str, str]]:
    rows = []
    for pred, obj in graph.predicate_objects(shape):
        if pred in _SHAPE_TEXT or pred in _TARGETS:
            continue
        rows.append((_short(graph, pred), describe(graph, obj)))
    return sorted(rows)


def _texts(graph: Graph, shape: Node, pred: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(shape, pred))


def _header(graph: Graph, ontology: URIRef) -> None:
    h1(_texts(graph, ontology, DCTERMS.title)[0] if graph.value(ontology, DCTERMS.title) else "")
    with dl():
        rows: list[tuple[str, Iterable[Node]]] = [
            ("IRI", [ontology]),
            ("Version IRI", graph.objects(ontology, OWL.versionIRI)),
            ("Version", graph.objects(ontology, OWL.versionInfo)),
            ("Licence", graph.objects(ontology, DCTERMS.license)),
            ("Created", graph.objects(ontology, DCTERMS.created)),
            ("Modified", graph.objects(ontology, DCTERMS.modified)),
        ]
        for name, values in rows:
            for value in values:
                dterm(name)
                dd(a(str(value), href=str(value)) if isinstance(value, URIRef) else str(value))
        for creator in graph.objects(ontology, DCTERMS.creator):
            dterm("Creator")
            label = graph.value(creator, SDO.name) or creator
            url = graph.value(creator, SDO.url)
            dd(a(str(label), href=str(url)) if url else str(label))
    for text in _texts(graph, ontology, DCTERMS.description):
        p(text)


def shapes_html(path: Path = SHAPES_FILE) -> str:
    """The SHACL shapes as one HTML page: every node shape, its targets and property shapes."""
    graph = load_turtle(path)
    ontology = next(s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    title = str(graph.value(ontology, DCTERMS.title) or "SHACL shapes")
    node_shapes = sorted(graph.subjects(RDF.type, SH.NodeShape), key=str)
    attached = {ps for ns in node_shapes for ps in graph.objects(ns, SH.property)}
    loose = sorted(set(graph.subjects(RDF.type, SH.PropertyShape)) - attached, key=str)
    doc = dominate.document(title=title)
    with doc.head:
        style(_pylode_css())
    with doc, div(id="content"):
        _header(graph, ontology)
        h2("Node shapes", id="nodeshapes")
        with ul():
            for shape in node_shapes:
                li(a(_local(shape), href="#" + _local(shape)))
        for shape in node_shapes:
            _shape_section(graph, shape)
        if loose:
            h2("Other property shapes", id="propertyshapes")
            for shape in loose:
                _shape_section(graph, shape)
    return doc.render()


def _shape_section(graph: Graph, shape: Node) -> None:
    with div(cls="entity", id=_local(shape)):
        h3(_local(shape), " ", code(str(shape)))
        for text in _texts(graph, shape, RDFS.label) + _texts(graph, shape, RDFS.comment):
            p(text)
        with table(), tbody():
            for pred in _TARGETS:
                for target in sorted(graph.objects(shape, pred), key=str):
                    tr(th(_short(graph, pred)), td(_short(graph, target)))
            path = graph.value(shape, SH.path)
            if path is not None:
                tr(th("sh:path"), td(describe(graph, path)))
            for name, value in _constraints(graph, shape):
                tr(th(name), td(value))
            for message in _texts(graph, shape, SH.message):
                tr(th("sh:message"), td(message))
        members = sorted(graph.objects(shape, SH.property), key=str)
        if members:
            with table():
                thead(tr(th("property shape"), th("path"), th("constraints"), th("message")))
                with tbody():
                    for member in members:
                        tr(
                            td(_local(member), id=_local(member), title=str(member)),
                            td(describe(graph, graph.value(member, SH.path) or BNode())),
                            td("; ".join(f"{k} {v}" for k, v in _constraints(graph, member))),
                            td(" ".join(_texts(graph, member, SH.message))),
                        )


def build_docs(out_dir: Path = DOCS_DIR) -> list[Path]:
    """Write the ontology page (index.html) and the shapes page; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = {ONTOLOGY_PAGE: ontology_html(), SHAPES_PAGE: shapes_html()}
    written = []
    for name, html in pages.items():
        target = out_dir / name
        target.write_text(html, encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS_DIR, help="output folder")
    args = parser.parse_args(argv)
    for path in build_docs(args.out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
