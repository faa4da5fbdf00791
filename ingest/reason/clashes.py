"""Naming the culprits of an inconsistency: disjoint types and functional data properties checked
directly, else owlrl's messages.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .engines import _run_owlrl, _superclasses
from .prepare import _in_w3c_schema, _schema_terms
from .vocabulary import _shorten

# --- explaining a clash ---------------------------------------------------------------------


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
