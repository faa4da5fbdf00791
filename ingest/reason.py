"""OWL reasoning over the ontology, the reference data and the source graphs.

Two engines: HermiT (OWL 2 DL, through owlready2, on Java) for small and medium graphs, and
owlrl (OWL 2 RL forward chaining, pure Python) beyond `hermit_max_triples`. Both see the same
prepared input and their output goes through the same filter, so the inferred graph holds only
new, useful triples: inverses, transitive closures, sub-property values and class memberships
(from domains, ranges and subclasses), never a triple of the input and never OWL bookkeeping
(`owl:Thing`, `owl:NamedIndividual`, `x owl:sameAs x`, statements about classes or properties).

Evidence nodes are left out of the reasoner's input: they are provenance records that cannot
take part in a clash (their IRIs are of their own kind) and only ever gain `prov:Entity`, yet
they are most of a source graph's triples. Annotations (labels, definitions, sources) have no
OWL semantics and are left out too, which keeps the temp file HermiT reads small.

When the data is inconsistent, HermiT says only that; `clashes` then names the culprits from
a direct check of disjoint types and functional data properties, or, failing that, from
owlrl's error messages.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace
from rdflib.term import Node

from .config import ONTOLOGY_NS
from .errors import ReasoningError
from .iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, is_review_graph, is_source_graph

if TYPE_CHECKING:
    from .store import Store

Engine = Literal["auto", "hermit", "owlrl"]
Triple = tuple[Node, Node, Node]

SKG = Namespace(ONTOLOGY_NS)
ORG = Namespace("http://www.w3.org/ns/org#")
# owlrl marks each inconsistency with a node of this type carrying the message.
ERRNS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

# Measured with benchmarks/reason.py (ontology + reference + synthetic source graphs, 2 cores):
# HermiT 2 s at 2k input triples, 6 s at 12k, 30 s at 49k, 74 s at 97k (JVM peak 0.5 GB at
# 49k, 0.9 GB at 97k; ~80% of the time is HermiT itself); owlrl 2 s, 6 s, 25 s, 47 s, with the
# same inferences on this data. ~50k is where owlrl overtakes HermiT, so past it "auto" gives
# up HermiT's OWL 2 DL completeness for speed.
DEFAULT_HERMIT_MAX_TRIPLES = 50_000

_W3C_SCHEMA_NS = (str(RDF), str(RDFS), str(OWL), str(XSD))
# Types that make an IRI a term of an ontology rather than an individual.
_SCHEMA_TYPES = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        RDFS.Datatype,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.AsymmetricProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
        OWL.Ontology,
        OWL.Restriction,
    }
)
# Annotation properties used by spacekg even where a graph does not declare them.
_ANNOTATIONS = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        SKOS.prefLabel,
        SKOS.altLabel,
        SKOS.hiddenLabel,
        SKOS.definition,
        SKOS.scopeNote,
        SKOS.note,
        SKOS.closeMatch,
        DCTERMS.source,
        DCTERMS.title,
        DCTERMS.description,
        OWL.versionInfo,
    }
)
_EVIDENCE_LINKS = frozenset({SKG.factSubject, SKG.factPredicate, SKG.factObject})

# Short forms for clash messages: ontology terms read better as CURIEs; individuals keep
# their full IRI so a user can paste it into a query.
_CURIES = (
    (ONTOLOGY_NS, "skg:"),
    (str(OWL), "owl:"),
    (str(RDFS), "rdfs:"),
    (str(RDF), "rdf:"),
    (str(XSD), "xsd:"),
    (str(PROV), "prov:"),
    (str(ORG), "org:"),
    (str(SKOS), "skos:"),
    (str(DCTERMS), "dct:"),
)


@dataclass
class ReasoningResult:
    """What one reasoning run found; `inferred` holds only triples that were not in the input."""

    consistent: bool
    engine: str
    inferred: Graph
    clashes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    triples_in: int = 0


# --- input ----------------------------------------------------------------------------------


def merge(graphs: Iterable[Graph]) -> Graph:
    """One graph with every triple of `graphs` (the input as the reasoner sees it, pre-filter)."""
    merged = Graph()
    for graph in graphs:
        for prefix, namespace in graph.namespaces():
            merged.bind(prefix, namespace, override=False)
        for triple in graph:
            merged.add(triple)
    return merged


def _schema_terms(graph: Graph) -> set[Node]:
    """IRIs the input uses as classes or properties: never subjects of an inferred triple."""
    terms: set[Node] = set()
    for schema_type in _SCHEMA_TYPES:
        terms.update(graph.subjects(RDF.type, schema_type))
    terms.update(graph.predicates())
    terms.update(graph.objects(None, RDF.type))
    for predicate in (
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        OWL.equivalentClass,
        OWL.inverseOf,
        OWL.disjointWith,
    ):
        for s, o in graph.subject_objects(predicate):
            terms.update((s, o))
    terms.update(graph.objects(None, RDFS.domain))
    terms.update(graph.objects(None, RDFS.range))
    return terms


def prepare(merged: Graph) -> Graph:
    """The triples worth reasoning over: no imports, evidence, annotations or ill-typed literals.

    `owl:imports` would make owlready2 fetch ontologies over HTTP (STACK-NOTES). Ill-typed
    literals are a SHACL matter; HermiT would stop on them with a Java stack trace.
    """
    annotation_properties = set(_ANNOTATIONS) | set(
        merged.subjects(RDF.type, OWL.AnnotationProperty)
    )
    evidence = set(merged.subjects(RDF.type, SKG.Evidence))
    headers = set(merged.subjects(RDF.type, OWL.Ontology))
    prepared = Graph()
    for s, p, o in merged:
        if p == OWL.imports or p in _EVIDENCE_LINKS or p in annotation_properties:
            continue
        if s in evidence or s in headers:
            continue
        if isinstance(o, RDFLiteral) and o.ill_typed:
            continue
        prepared.add((s, p, o))
    return prepared


# --- output filter --------------------------------------------------------------------------


def _in_w3c_schema(term: Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(_W3C_SCHEMA_NS)


def _useful(triple: Triple, schema_terms: set[Node]) -> bool:
    """True for an inferred fact about an individual; False for OWL bookkeeping."""
    s, p, o = triple
    if not isinstance(s, URIRef) or isinstance(o, BNode) or isinstance(p, BNode):
        return False
    if s in schema_terms or _in_w3c_schema(s):
        return False
    if p == RDF.type:
        return isinstance(o, URIRef) and not _in_w3c_schema(o)
    if p == OWL.sameAs:
        return s != o
    return not _in_w3c_schema(p)


def filter_inferred(candidates: Iterable[Triple], merged: Graph) -> Graph:
    """The useful candidates that are not already in the input, as a new graph."""
    schema_terms = _schema_terms(merged)
    inferred = Graph()
    for prefix, namespace in merged.namespaces():
        inferred.bind(prefix, namespace, override=False)
    for triple in candidates:
        if triple not in merged and _useful(triple, schema_terms):
            inferred.add(triple)
    return inferred


# --- HermiT ---------------------------------------------------------------------------------


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise ReasoningError(
            "Java 17 not found",
            "PATH",
            "install openjdk-17-jre-headless or use --engine owlrl",
        )
    return java


def _superclasses(graph: Graph) -> dict[Node, set[Node]]:
    """Named superclasses of each named class (reflexive-transitive), equivalences both ways."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            parents[sub].add(sup)
    for a, b in graph.subject_objects(OWL.equivalentClass):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            parents[a].add(b)
            parents[b].add(a)
    closure: dict[Node, set[Node]] = {}
    for cls in list(parents):
        seen: set[Node] = set()
        stack = [cls]
        while stack:
            current = stack.pop()
            for parent in parents.get(current, ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        closure[cls] = seen
    return closure


def _property_axioms(
    graph: Graph,
) -> tuple[dict[Node, set[Node]], dict[Node, set[Node]], set[Node]]:
    """(super-properties, inverses, transitive properties) of each named property."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and not _in_w3c_schema(sup):
            parents[sub].add(sup)
    for a, b in graph.subject_objects(OWL.equivalentProperty):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            parents[a].add(b)
            parents[b].add(a)
    inverses: dict[Node, set[Node]] = defaultdict(set)
    for p, q in graph.subject_objects(OWL.inverseOf):
        if isinstance(p, URIRef) and isinstance(q, URIRef):
            inverses[p].add(q)
            inverses[q].add(p)
    for p in graph.subjects(RDF.type, OWL.SymmetricProperty):
        inverses[p].add(p)
    transitive = set(graph.subjects(RDF.type, OWL.TransitiveProperty))
    return parents, inverses, transitive


def _complete_hermit(prepared: Graph, hermit_triples: Graph) -> Graph:
    """HermiT's answer made explicit, because owlready2 keeps only part of it.

    owlready2 drops an entailed `b q a` when `a p b` is stored and q is p's inverse, records
    only an individual's most specific types, and HermiT's property values leave out those
    that follow from sub-properties (`targeted` ⊑ `threatens`). With HermiT's complete class
    and property hierarchies, closing the known facts under sub-properties, inverses and
    transitivity, and adding the superclasses of each type, restores those entailments.
    Types need no further rule: HermiT's realisation already covers domains and ranges.
    """
    known = prepared + hermit_triples
    parents, inverses, transitive = _property_axioms(known)
    ancestors = _superclasses(known)
    pending = [(s, p, o) for s, p, o in known if p in parents or p in inverses or p in transitive]
    while pending:
        s, p, o = pending.pop()
        derived: list[Triple] = [(s, q, o) for q in parents.get(p, ())]
        if isinstance(o, URIRef):
            derived += [(o, q, s) for q in inverses.get(p, ())]
        if p in transitive:
            derived += [(s, p, after) for after in known.objects(o, p)]
            derived += [(before, p, o) for before in known.subjects(p, s)]
        for triple in derived:
            if triple not in known:
                known.add(triple)
                pending.append(triple)
    for individual, cls in list(known.subject_objects(RDF.type)):
        for parent in ancestors.get(cls, ()):
            known.add((individual, RDF.type, parent))
    return known


def _run_hermit(prepared: Graph) -> tuple[bool, Graph]:
    """(consistent, the triples owlready2 added from HermiT's answer); a fresh World per call."""
    java = _java()
    import owlready2
    from owlready2 import OwlReadyInconsistentOntologyError, OwlReadyJavaError, World

    owlready2.JAVA_EXE = java
    world = World()
    try:
        with tempfile.TemporaryDirectory(prefix="spacekg-reason-") as tmp:
            data = Path(tmp) / "input.nt"
            prepared.serialize(data, format="nt", encoding="utf-8")
            with data.open("rb") as handle:
                world.get_ontology("https://w3id.org/spacekg/reasoning-input").load(
                    fileobj=handle, format="ntriples", reload=True
                )
            try:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True
                )
            except OwlReadyInconsistentOntologyError:
                return False, Graph()
            except OwlReadyJavaError as exc:
                detail = next(
                    (line.strip() for line in str(exc).splitlines() if "Exception" in line),
                    str(exc).strip().splitlines()[-1] if str(exc).strip() else "no message",
                )
                raise ReasoningError(
                    f"HermiT failed: {detail}",
                    "reasoner",
                    "check the data with `spacekg validate` or use --engine owlrl",
                ) from exc
            out = Path(tmp) / "inferred.nt"
            world.get_ontology("http://inferrences/").save(str(out), format="ntriples")
            hermit_triples = Graph()
            hermit_triples.parse(out, format="nt")
        return True, hermit_triples
    finally:
        world.close()


# --- owlrl ----------------------------------------------------------------------------------


def _run_owlrl(prepared: Graph) -> tuple[Graph, list[str]]:
    """OWL 2 RL closure of a copy of `prepared`, and owlrl's inconsistency messages."""
    import owlrl

    closure = Graph()
    for triple in prepared:
        closure.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closure)
    messages = sorted(
        _shorten(str(message))
        for node in closure.subjects(RDF.type, ERRNS.ErrorMessage)
        for message in closure.objects(node, ERRNS.error)
    )
    nothing = sorted(
        str(s) for s in closure.subjects(RDF.type, OWL.Nothing) if isinstance(s, URIRef)
    )
    messages += [f"<{s}> is a member of owl:Nothing" for s in nothing]
    return closure, messages


# --- explaining a clash ---------------------------------------------------------------------


def _shorten(text: str) -> str:
    """Ontology terms as CURIEs, individuals as <full IRI>, in an owlrl or own message."""

    def replace(match: re.Match[str]) -> str:
        iri = match.group(0)
        for namespace, prefix in _CURIES:
            if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
                return prefix + iri[len(namespace) :]
        return f"<{iri}>"

    return re.sub(r"https?://[^\s,()<>'\"]+", replace, text)


def _disjoint_pairs(graph: Graph) -> set[frozenset[Node]]:
    pairs: set[frozenset[Node]] = set()
    for a, b in graph.subject_objects(OWL.disjointWith):
        pairs.add(frozenset((a, b)))
    for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members_list = graph.value(group, OWL.members)
        if members_list is None:
            continue
        members = list(graph.items(members_list))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add(frozenset((a, b)))
    return pairs


def _named(graph: Graph, cls: Node) -> bool:
    return isinstance(cls, URIRef) and not _in_w3c_schema(cls)


def _type_reasons(graph: Graph) -> dict[Node, dict[Node, str]]:
    """For each individual, each class it must belong to and why (RDFS-level, named classes)."""
    ancestors = _superclasses(graph)
    reasons: dict[Node, dict[Node, str]] = defaultdict(dict)

    def add(individual: Node, cls: Node, why: str) -> None:
        for target in (cls, *sorted(ancestors.get(cls, ()))):
            reasons[individual].setdefault(target, why)

    for individual, cls in graph.subject_objects(RDF.type):
        if _named(graph, cls):
            add(individual, cls, f"typed {_shorten(str(cls))}")
    for prop, domain in graph.subject_objects(RDFS.domain):
        if _named(graph, domain):
            for s in graph.subjects(prop, None):
                add(s, domain, f"subject of {_shorten(str(prop))}")
    for prop, range_ in graph.subject_objects(RDFS.range):
        if _named(graph, range_) and (prop, RDF.type, OWL.DatatypeProperty) not in graph:
            for o in graph.objects(None, prop):
                if isinstance(o, URIRef):
                    add(o, range_, f"object of {_shorten(str(prop))}")
    return reasons


def _union_members(graph: Graph, cls: Node) -> list[Node]:
    """Members of an anonymous owl:unionOf class of named classes; [] for anything else."""
    if not isinstance(cls, BNode):
        return []
    members_list = graph.value(cls, OWL.unionOf)
    if members_list is None:
        return []
    members = list(graph.items(members_list))
    return members if all(_named(graph, m) for m in members) else []


def find_clashes(prepared: Graph) -> list[str]:
    """Readable causes of an inconsistency, found without a reasoner: an individual in two
    disjoint classes (from its types, domains and ranges), or outside every class of a union
    domain or range, or with two values of a functional data property. Empty when none apply."""
    clashes: list[str] = []
    reasons = _type_reasons(prepared)
    disjoint = _disjoint_pairs(prepared)
    ancestors = _superclasses(prepared)
    schema_terms = _schema_terms(prepared)

    def disjoint_with(cls: Node, classes: dict[Node, str]) -> Node | None:
        for candidate in (cls, *ancestors.get(cls, ())):
            for held in sorted(classes, key=str):
                if frozenset((candidate, held)) in disjoint:
                    return held
        return None

    for individual in sorted(reasons, key=str):
        if isinstance(individual, BNode) or individual in schema_terms:
            continue
        classes = reasons[individual]
        for pair in sorted(disjoint, key=lambda p: sorted(map(str, p))):
            a, b = sorted(pair, key=str)
            if a in classes and b in classes:
                clashes.append(
                    f"<{individual}> is both {_shorten(str(a))} ({classes[a]}) and "
                    f"{_shorten(str(b))} ({classes[b]}), which are declared disjoint"
                )

    union_uses = [(prop, cls, "subject") for prop, cls in prepared.subject_objects(RDFS.domain)]
    union_uses += [(prop, cls, "object") for prop, cls in prepared.subject_objects(RDFS.range)]
    for prop, cls, role in sorted(union_uses, key=lambda use: (str(use[0]), use[2])):
        members = _union_members(prepared, cls)
        if not members:
            continue
        if role == "subject":
            holders = set(prepared.subjects(prop, None))
        else:
            holders = {o for o in prepared.objects(None, prop) if isinstance(o, URIRef)}
        for individual in sorted(holders, key=str):
            classes = reasons.get(individual, {})
            blocking = [disjoint_with(member, classes) for member in members]
            if classes and all(blocking):
                held = sorted({b for b in blocking if b is not None}, key=str)
                shown = ", ".join(f"{_shorten(str(h))} ({classes[h]})" for h in held)
                options = ", ".join(_shorten(str(m)) for m in members)
                clashes.append(
                    f"<{individual}>, {role} of {_shorten(str(prop))}, must be one of "
                    f"{options}, but it is {shown}, disjoint with each"
                )

    for prop in sorted(prepared.subjects(RDF.type, OWL.FunctionalProperty), key=str):
        if (prop, RDF.type, OWL.DatatypeProperty) not in prepared:
            continue
        values: dict[Node, set[object]] = defaultdict(set)
        for s, o in prepared.subject_objects(prop):
            # Compare values, not spellings: "01"^^xsd:integer is "1"^^xsd:integer.
            value = o.value if isinstance(o, RDFLiteral) and o.value is not None else o
            values[s].add(value)
        for s in sorted(values, key=str):
            if len(values[s]) > 1:
                shown = ", ".join(sorted(f'"{v}"' for v in values[s]))
                clashes.append(
                    f"<{s}> has {len(values[s])} values for the functional property "
                    f"{_shorten(str(prop))}: {shown}"
                )
    return clashes


def _explain(prepared: Graph) -> list[str]:
    clashes = find_clashes(prepared)
    if clashes:
        return clashes
    _, messages = _run_owlrl(prepared)
    return messages or [
        "HermiT found the graph inconsistent, but no disjoint types or functional-property "
        "conflicts explain it; run `spacekg reason --engine owlrl` for OWL RL's diagnosis"
    ]


# --- entry points ---------------------------------------------------------------------------


def reason(
    graphs: Iterable[Graph],
    *,
    engine: Engine = "auto",
    hermit_max_triples: int = DEFAULT_HERMIT_MAX_TRIPLES,
) -> ReasoningResult:
    """Reason over the union of `graphs`; `engine="auto"` picks HermiT up to
    `hermit_max_triples` input triples and owlrl beyond, and the result names the one that ran."""
    if engine not in ("auto", "hermit", "owlrl"):
        raise ReasoningError(
            f"unknown reasoning engine {engine!r}", "--engine", "use auto, hermit or owlrl"
        )
    started = time.perf_counter()
    merged = merge(graphs)
    triples_in = len(merged)
    chosen = engine
    if engine == "auto":
        chosen = "hermit" if triples_in <= hermit_max_triples else "owlrl"
    prepared = prepare(merged)

    if chosen == "hermit":
        consistent, hermit_triples = _run_hermit(prepared)
        if consistent:
            inferred = filter_inferred(_complete_hermit(prepared, hermit_triples), merged)
            clashes: list[str] = []
        else:
            inferred = Graph()
            clashes = _explain(prepared)
    else:
        closure, messages = _run_owlrl(prepared)
        # OWL RL cannot see clashes through union domains and ranges; the direct check can,
        # and its messages say why, so it speaks first.
        clashes = find_clashes(prepared) or messages
        consistent = not clashes
        inferred = filter_inferred(closure, merged) if consistent else Graph()

    return ReasoningResult(
        consistent=consistent,
        engine=chosen,
        inferred=inferred,
        clashes=clashes,
        seconds=time.perf_counter() - started,
        triples_in=triples_in,
    )


def reason_store(
    store: Store,
    *,
    engine: Engine = "auto",
    hermit_max_triples: int = DEFAULT_HERMIT_MAX_TRIPLES,
) -> ReasoningResult:
    """Reason over the ontology, reference, source and review graphs of `store`; when consistent,
    replace the inferred graph with the result. Asserted graphs are only read."""
    store.ensure_reference()  # a new store gets the ontology and reference data first
    names = set(store.graph_names())
    if ONTOLOGY_GRAPH not in names:
        raise ReasoningError(
            "the ontology graph is missing",
            str(ONTOLOGY_GRAPH),
            "run `spacekg ingest` or `spacekg stats` once to load the ontology",
        )
    # Accepted review decisions assert their facts in graphs of their own.
    sources = sorted((n for n in names if is_source_graph(n) or is_review_graph(n)), key=str)
    inputs = [ONTOLOGY_GRAPH, REFERENCE_GRAPH, *sources]
    result = reason(
        (store.graph(name) for name in inputs if name in names),
        engine=engine,
        hermit_max_triples=hermit_max_triples,
    )
    if result.consistent:
        store.replace_graph(INFERRED_GRAPH, result.inferred)
    return result
