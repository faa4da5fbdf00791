"""The two engines over the same prepared input: HermiT (OWL 2 DL) through owlready2 on Java, and
owlrl (OWL 2 RL) in Python.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ingest.errors import ReasoningError

from .prepare import _in_w3c_schema
from .vocabulary import ERRNS, Triple, _shorten

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
