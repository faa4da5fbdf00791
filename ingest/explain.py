"""Why is this inferred fact here? The ontology axiom and the facts it was derived from.

The reasoner (`ingest.reason`) writes what it infers into one graph, without saying why. An
explanation is found afterwards, on demand, by trying each kind of axiom the ontology uses
against the statements about the fact's subject and object (`statements_about.rq`):
- `owl:inverseOf`: "Kosmos 1408 targetOf the test" because "the test targeted Kosmos 1408";
- `rdfs:subPropertyOf`: "the test threatens Kosmos 1408" because it "targeted" it;
- `owl:TransitiveProperty`: "X partOf Z" because "X partOf Y" and "Y partOf Z";
- `rdfs:subClassOf`, `rdfs:domain`, `rdfs:range` for a type: "Russia a Actor" because
  "Russia a State" and State is a subclass of Actor, or because Russia "conducted" something.
Each premise carries where it is stated (curated, asserted, inferred), so the app can ask why
again for a premise that is itself inferred. Only the first step is explained.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, Graph, Node, URIRef

from .iri import INFERRED_GRAPH, REFERENCE_GRAPH, is_review_graph, is_source_graph
from .store import Store, internal_query

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Premise:
    triple: Triple
    origin: str  # curated | asserted | inferred
    # for an inferred premise, how it follows in turn (filled by `explain_chain`)
    because: tuple[Explanation, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """One way the fact follows: the axiom (as a triple of the ontology) and its premises."""

    rule: str  # inverse | subproperty | transitive | subclass | domain | range
    axiom: Triple
    premises: tuple[Premise, ...] = field(default_factory=tuple)


def origin_of(graph: Node) -> str:
    if graph == REFERENCE_GRAPH:
        return "curated"
    if graph == INFERRED_GRAPH:
        return "inferred"
    if is_source_graph(graph) or is_review_graph(graph):
        return "asserted"
    return "other"


@dataclass(frozen=True)
class _Axioms:
    inverse: dict[Node, set[Node]]
    super_properties: dict[Node, set[Node]]  # property -> its strict superproperties
    transitive: frozenset[Node]
    super_classes: dict[Node, set[Node]]  # class -> its strict superclasses
    domain: dict[Node, set[Node]]
    range: dict[Node, set[Node]]


def _closure(graph: Graph, predicate: URIRef) -> dict[Node, set[Node]]:
    found: dict[Node, set[Node]] = defaultdict(set)
    for term in set(graph.subjects(predicate, None)):
        found[term] = set(graph.transitive_objects(term, predicate)) - {term}
    return found


@lru_cache(maxsize=1)
def axioms() -> _Axioms:
    from .ontology import ontology_graph

    graph = ontology_graph()
    inverse: dict[Node, set[Node]] = defaultdict(set)
    for a, b in graph.subject_objects(OWL.inverseOf):
        inverse[a].add(b)
        inverse[b].add(a)
    return _Axioms(
        inverse=inverse,
        super_properties=_closure(graph, RDFS.subPropertyOf),
        transitive=frozenset(graph.subjects(RDF.type, OWL.TransitiveProperty)),
        super_classes=_closure(graph, RDFS.subClassOf),
        domain={p: set(graph.objects(p, RDFS.domain)) for p in graph.subjects(RDFS.domain)},
        range={p: set(graph.objects(p, RDFS.range)) for p in graph.subjects(RDFS.range)},
    )


def _statements(store: Store, node: Node) -> dict[Triple, str]:
    """Statements about `node` -> their origin (the strongest, when several graphs state it)."""
    rank = {"curated": 0, "asserted": 1, "inferred": 2, "other": 3}
    found: dict[Triple, str] = {}
    if not isinstance(node, URIRef):
        return found
    for row in store.query(internal_query("statements_about"), {"node": node}).rows:
        triple = (row["s"], row["p"], row["o"])
        origin = origin_of(row["g"])
        if triple not in found or rank[origin] < rank[found[triple]]:
            found[triple] = origin
    return found


def explain(store: Store, fact: Triple) -> list[Explanation]:
    """The first-step explanations of `fact`, an inferred triple; [] when none is found."""
    s, p, o = fact
    known = _statements(store, s) | _statements(store, o)
    rules = axioms()
    found: list[Explanation] = []

    def premise(triple: Triple) -> Premise | None:
        origin = known.get(triple)
        return Premise(triple, origin) if origin is not None and triple != fact else None

    if p == RDF.type:
        for (subject, predicate, obj), origin in known.items():
            if subject == s and predicate == RDF.type and o in rules.super_classes.get(obj, ()):
                found.append(
                    Explanation(
                        "subclass",
                        (obj, RDFS.subClassOf, o),
                        (Premise((s, RDF.type, obj), origin),),
                    )
                )
        for (subject, predicate, obj), origin in known.items():
            if predicate == RDF.type:
                continue
            ends = (("domain", subject, rules.domain), ("range", obj, rules.range))
            for rule, end, table in ends:
                for cls in table.get(predicate, ()):
                    if end == s and (cls == o or o in rules.super_classes.get(cls, ())):
                        axiom = (predicate, RDFS.domain if rule == "domain" else RDFS.range, cls)
                        found.append(
                            Explanation(rule, axiom, (Premise((subject, predicate, obj), origin),))
                        )
        return found
    for q in rules.inverse.get(p, ()):
        if (step := premise((o, q, s))) is not None:
            found.append(Explanation("inverse", (p, OWL.inverseOf, q), (step,)))
    for q, supers in rules.super_properties.items():
        if p in supers and (step := premise((s, q, o))) is not None:
            found.append(Explanation("subproperty", (q, RDFS.subPropertyOf, p), (step,)))
    if p in rules.transitive:
        middles = {t[2] for t in known if t[0] == s and t[1] == p} & {
            t[0] for t in known if t[2] == o and t[1] == p
        }
        for middle in sorted(middles, key=str):
            first, second = premise((s, p, middle)), premise((middle, p, o))
            if first is not None and second is not None:
                found.append(
                    Explanation(
                        "transitive", (p, RDF.type, OWL.TransitiveProperty), (first, second)
                    )
                )
    return found


MAX_DEPTH = 4


def explain_chain(store: Store, fact: Triple, depth: int = MAX_DEPTH) -> list[Explanation]:
    """`explain`, with each inferred premise explained in turn (its first explanation), down to
    curated or asserted facts: at most `depth` steps, and never a fact already on the path."""
    return _chain(store, fact, depth, frozenset({fact}))


def _chain(store: Store, fact: Triple, depth: int, path: frozenset[Triple]) -> list[Explanation]:
    found = explain(store, fact)
    if depth <= 1:
        return found
    out = []
    for explanation in found:
        premises = []
        for step in explanation.premises:
            if step.origin == "inferred" and step.triple not in path:
                deeper = _chain(store, step.triple, depth - 1, path | {step.triple})
                step = replace(step, because=tuple(deeper[:1]))
            premises.append(step)
        out.append(replace(explanation, premises=tuple(premises)))
    return out
