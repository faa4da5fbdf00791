"""SHACL validation of one graph against ontology/shapes.ttl, with pyshacl.

Ingestion validates each new document graph before storing it and drops exactly the facts a
violation points at, so one bad extraction does not cost the whole document. Only the given
graph is reported on (results whose focus node is one of its subjects); the ontology and the
part of any `extra` context (the reference data) its nodes touch are mixed in, so `sh:class`
sees the classes of linked individuals and follows `rdfs:subClassOf`. Inference stays "none":
RDFS inference was 7-9x slower and typed dangling references into conformance (STACK-NOTES).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pyshacl
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from .config import ID_NS, ONTOLOGY_NS, SHAPES_FILE, SHAPES_NS
from .errors import ValidationError
from .iri import local_part
from .ontology import ontology_graph, shapes_graph

SH = Namespace("http://www.w3.org/ns/shacl#")
SKG = Namespace(ONTOLOGY_NS)

Triple = tuple[Node, Node, Node]

# Short forms for one-line summaries; longest namespace first so skgid: wins over a prefix of it.
_PREFIXES = sorted(
    {
        "skg": ONTOLOGY_NS,
        "skgid": ID_NS,
        "skgsh": SHAPES_NS,
        "rdf": str(RDF),
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": str(XSD),
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "dct": "http://purl.org/dc/terms/",
        "prov": "http://www.w3.org/ns/prov#",
        "org": "http://www.w3.org/ns/org#",
    }.items(),
    key=lambda item: -len(item[1]),
)
_MAX_VALUE_CHARS = 60


def _short(node: Node | None) -> str:
    """A compact, single-line rendering of a term for people reading a summary."""
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, namespace in _PREFIXES:
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
        return f"<{text}>"
    rendered = node.n3() if isinstance(node, Literal) else f"_:{node}"
    rendered = " ".join(rendered.split())
    if len(rendered) > _MAX_VALUE_CHARS:
        rendered = rendered[: _MAX_VALUE_CHARS - 1] + "…"
    return rendered


@dataclass(frozen=True)
class Violation:
    """One SHACL result: where it is (focus node, path, value) and which shape says what."""

    focus_node: Node
    path: Node | None
    value: Node | None
    shape: Node
    message: str
    severity: str
    component: str

    @property
    def shape_name(self) -> str:
        """Local name of the shape (`Evidence-confidence`), as the examples and tests name it."""
        text = str(self.shape)
        return text[len(SHAPES_NS) :] if text.startswith(SHAPES_NS) else _short(self.shape)

    def line(self) -> str:
        """One readable line: shape, focus node, path, value and the shape's message."""
        message = " ".join(self.message.split())
        where = f"{_short(self.focus_node)} {_short(self.path)}"
        if self.value is not None and self.value != self.focus_node:
            where += f" = {_short(self.value)}"
        return f"{self.shape_name}: {where} — {message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one graph; `violating_facts` lets ingestion drop bad facts."""

    conforms: bool
    violations: list[Violation]
    facts: frozenset[Triple] = field(default=frozenset(), repr=False)

    def summary(self) -> str:
        """One line per violation, sorted so the same graph always gives the same text."""
        return "\n".join(sorted(v.line() for v in self.violations))

    def violating_facts(self) -> set[Triple]:
        """Triples of the validated graph the violations point at.

        A result with a path and a value names one triple; a count violation (too many values)
        names every value of that path; a domain violation names the subject's uses of the
        property its shape targets. For an evidence node, the fact it supports (factSubject,
        factPredicate, factObject) is included, so the fact goes with its broken evidence.
        """
        return set(self.facts)


def _plain(node: Node) -> Node:
    """`"x"^^xsd:string` and `"x"` are one RDF 1.1 term, but not to rdflib or sh:in."""
    if isinstance(node, Literal) and node.datatype == XSD.string:
        return Literal(str(node))
    return node


def _normalise_strings(graph: Graph) -> None:
    """Store backends hand back `"x"^^xsd:string`; make it the plain literal the shapes expect."""
    typed = [t for t in graph.triples((None, None, None)) if _plain(t[2]) is not t[2]]
    for subject, predicate, obj in typed:
        graph.remove((subject, predicate, obj))
        graph.add((subject, predicate, _plain(obj)))


def _named_shape(shapes: Graph, shape: Node) -> Node:
    """The named shape a blank-node result shape belongs to (shapes.ttl names all of its own)."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = next(shapes.subjects(None, shape), None)
        if parent is None:
            break
        shape = parent
    return shape


def _message(results: Graph, result: Node) -> str:
    messages = list(results.objects(result, SH.resultMessage))
    english = [m for m in messages if isinstance(m, Literal) and m.language == "en"]
    chosen = english or messages
    return str(chosen[0]) if chosen else ""


def _violations(results: Graph, shapes: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        component = results.value(result, SH.sourceConstraintComponent)
        found.append(
            Violation(
                focus_node=results.value(result, SH.focusNode),
                path=results.value(result, SH.resultPath),
                value=results.value(result, SH.value),
                shape=_named_shape(shapes, results.value(result, SH.sourceShape)),
                message=_message(results, result),
                severity=local_part(severity) if severity else "Violation",
                component=local_part(component) if component else "",
            )
        )
    return found


def _in_data(data: Graph, subject: Node, predicate: Node, value: Node) -> list[Triple]:
    """The triple as the caller's graph spells it (a plain literal may be typed xsd:string)."""
    candidates = [value]
    if isinstance(value, Literal) and value.datatype is None and value.language is None:
        candidates.append(Literal(str(value), datatype=XSD.string))
    return [(subject, predicate, c) for c in candidates if (subject, predicate, c) in data]


def _facts(data: Graph, shapes: Graph, violations: list[Violation]) -> frozenset[Triple]:
    facts: set[Triple] = set()
    for violation in violations:
        focus, path = violation.focus_node, violation.path
        if isinstance(path, URIRef):
            if violation.value is not None:
                facts.update(_in_data(data, focus, path, violation.value))
            else:
                facts.update(data.triples((focus, path, None)))
        else:
            named = _named_shape(shapes, violation.shape)
            for predicate in shapes.objects(named, SH.targetSubjectsOf):
                facts.update(data.triples((focus, predicate, None)))
        supported = [data.value(focus, SKG[p]) for p in ("factSubject", "factPredicate")]
        obj = data.value(focus, SKG.factObject)
        if None not in supported and obj is not None:
            facts.add((supported[0], supported[1], obj))
    return frozenset(facts)


def _context(data: Graph, extra: Graph, subjects: set[Node]) -> Iterator[Triple]:
    """The part of `extra` the shapes can see from the subjects of `data`.

    The shapes look one step out from a focus node: its own triples, and the rdf:type of each
    value (for sh:class). So `extra` gives the triples of data's subjects and the types of the
    nodes they point at. Copying the whole reference data for every document would make each
    validation as slow as validating the reference itself. A shape that looks further (sh:node
    on values, multi-step paths) needs this widened.
    """
    pulled = [t for s in subjects for t in extra.triples((s, None, None))]
    yield from pulled
    linked = {o for _s, _p, o in data if not isinstance(o, Literal)}
    linked.update(o for _s, _p, o in pulled if not isinstance(o, Literal))
    for node in linked - subjects:
        yield from extra.triples((node, RDF.type, None))


@lru_cache(maxsize=1)
def _class_hierarchy() -> tuple[Triple, ...]:
    """The ontology's rdfs:subClassOf triples and the types of the individuals it defines
    (capability and doctrine concepts): all that `sh:class` and class targets need.

    Mixing in the whole ontology would make pyshacl validate its terms (labels, SKOS
    schemes) again for every document, which was two thirds of the ingest time.
    """
    ontology = ontology_graph()
    types = (t for t in ontology.triples((None, RDF.type, None)) if str(t[0]).startswith(ID_NS))
    return (*ontology.triples((None, RDFS.subClassOf, None)), *types)


def validate_graph(data: Graph, *, extra: Graph | None = None) -> ValidationReport:
    """Validate `data` (one document's graph) against the shapes; `extra` is context only.

    The ontology and `extra` (for instance the reference data) are mixed in, so facts that
    point at curated individuals see their classes and `sh:class` follows rdfs:subClassOf.
    Only subjects of `data` are reported on: context nodes are not validated here.
    """
    shapes = shapes_graph()
    subjects = set(data.subjects())
    if not subjects:
        return ValidationReport(conforms=True, violations=[])
    mixed = Graph()
    for triple in _class_hierarchy():
        mixed.add(triple)
    if extra is not None:
        for triple in _context(data, extra, subjects):
            mixed.add(triple)
    for subject, predicate, obj in data:
        mixed.add((subject, predicate, obj))
    _normalise_strings(mixed)
    try:
        _conforms, results, _text = pyshacl.validate(
            mixed,
            shacl_graph=shapes,
            inference="none",
            inplace=True,  # `mixed` is our own copy: no need for pyshacl to clone it again
            advanced=False,
            # No `focus_nodes`: pyshacl 0.40.1 also filters the value nodes of nested shapes
            # (sh:or) by it, which silently passed wrong datatypes and classes.
        )
    except Exception as exc:  # pyshacl raises its own errors for shapes it cannot run
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ValidationError(
            f"the SHACL shapes could not be run: {first_line}",
            str(SHAPES_FILE),
            "fix the shapes and run tests/test_validate.py",
        ) from exc
    violations = [v for v in _violations(results, shapes) if v.focus_node in subjects]
    return ValidationReport(
        conforms=not violations,
        violations=violations,
        facts=_facts(data, shapes, violations),
    )


# What a shape may look at for `revalidate` to stay exact: a node's own triples and the types
# of its values. A shape using one of these would see further (tests/test_validate.py).
FAR_SIGHTED_SHAPE_TERMS = (
    "inversePath",
    "targetObjectsOf",
    "node",
    "qualifiedValueShape",
    "sparql",
)


def revalidate(
    before: Graph,
    after: Graph,
    *,
    extra: Graph | None = None,
    focus: Iterable[Node] = (),
) -> ValidationReport:
    """Validate `after`, a copy of `before` with triples taken out, by what the removal can
    have changed: the subjects that lost a triple, the subjects whose values did, and `focus`
    (the nodes `before` violated with, so a violation no removal fixed is reported again).

    The shapes look one step out from a focus node (its triples, the rdf:type of its values:
    see `_context`), so every other node keeps the result it had in `before`: this is the
    whole graph's result, checked on the part the removal touched.
    """
    changed = {s for s, p, o in before if (s, p, o) not in after}
    touched = changed | {s for s, _p, o in after if o in changed} | set(focus)
    part = Graph()
    for subject in touched:
        for triple in after.triples((subject, None, None)):
            part.add(triple)
    context = ReadOnlyGraphAggregate([after, extra]) if extra is not None else after
    return validate_graph(part, extra=context)


_SOURCE_GRAPH_SHAPE = URIRef(SHAPES_NS + "SourceGraph-document")
_DCT_TITLE = URIRef("http://purl.org/dc/terms/title")


def source_graph_violations(data: Graph, graph_name: URIRef | str) -> list[Violation]:
    """What the shapes cannot see: a source graph must describe its own document.

    The graph `…/graph/source/{docid}` holds the metadata of `…/id/source/{docid}`: typed
    skg:SourceDocument (SourceDocumentShape then checks its title and sha256), with a sha256
    whose first 16 hex digits are the docid. SHACL sees neither graph names nor untyped
    nodes, so this is checked here and reported like a violation.
    """
    from .iri import docid_of, source_iri

    graph = str(graph_name)
    docid = docid_of(graph) or graph
    document = source_iri(docid)
    fix = (
        f"graph <{graph}> is not a complete ingested document: ingest its source file "
        f"again, or remove the graph with `spacekg remove {docid}`"
    )
    if (document, RDF.type, SKG.SourceDocument) not in data:
        missing = ["rdf:type skg:SourceDocument"]
        missing += [
            name
            for name, predicate in (("dct:title", _DCT_TITLE), ("skg:sha256", SKG.sha256))
            if data.value(document, predicate) is None
        ]
        return [
            Violation(
                focus_node=document,
                path=RDF.type,
                value=None,
                shape=_SOURCE_GRAPH_SHAPE,
                message=f"the graph has no metadata for its document {_short(document)} "
                f"(missing {', '.join(missing)}); {fix}",
                severity="Violation",
                component="MinCountConstraintComponent",
            )
        ]
    digests = [d for d in data.objects(document, SKG.sha256) if isinstance(d, Literal)]
    wrong = [d for d in digests if not str(d).startswith(docid)]
    return [
        Violation(
            focus_node=document,
            path=SKG.sha256,
            value=digest,
            shape=_SOURCE_GRAPH_SHAPE,
            message=f"the document's skg:sha256 does not start with the graph's id {docid}; {fix}",
            severity="Violation",
            component="PatternConstraintComponent",
        )
        for digest in wrong
    ]


def validate_source_graph(
    data: Graph, graph_name: URIRef | str, *, extra: Graph | None = None
) -> ValidationReport:
    """`validate_graph` for a stored source graph, plus `source_graph_violations`."""
    report = validate_graph(data, extra=extra)
    missing = source_graph_violations(data, graph_name)
    if not missing:
        return report
    return ValidationReport(
        conforms=False, violations=[*missing, *report.violations], facts=report.facts
    )
