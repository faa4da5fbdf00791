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

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph

from ingest.errors import ReasoningError
from ingest.iri import (
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    is_review_graph,
    is_source_graph,
)

from .clashes import _explain, find_clashes
from .engines import _complete_hermit, _run_hermit, _run_owlrl
from .prepare import filter_inferred, merge, prepare
from .vocabulary import DEFAULT_HERMIT_MAX_TRIPLES, Engine

if TYPE_CHECKING:
    from ingest.store import Store


@dataclass
class ReasoningResult:
    """What one reasoning run found; `inferred` holds only triples that were not in the input."""

    consistent: bool
    engine: str
    inferred: Graph
    clashes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    triples_in: int = 0


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


__all__ = [
    "DEFAULT_HERMIT_MAX_TRIPLES",
    "Engine",
    "ReasoningResult",
    "filter_inferred",
    "find_clashes",
    "merge",
    "prepare",
    "reason",
    "reason_store",
]
