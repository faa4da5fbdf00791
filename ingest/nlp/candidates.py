"""Candidate pairs for the relation classifier, limited by the ontology's domains and ranges.

A pair is two entity spans of one sentence, in either order, for which at least one property
of the schema (`ingest.corpus.load_schema`: read from `ontology/spacekg.ttl`) accepts the first
span's class as `rdfs:domain` and the second's as `rdfs:range`. A span's classes are the linked
individual's (`span._.classes`), else its label when the label is an ontology class (the trained
NER and the annotated corpus use class names), else `Date` for a DATE entity. The same function
serves training (gold spans) and ingest (linked spans), so both see the same candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc, Span

from ingest.corpus import DATE_LABEL, Schema, load_schema
from ingest.iri import term_name

# Ends further apart than this many tokens are not paired (few relations span more).
MAX_GAP = 40
DATE_ENTITY_LABELS = frozenset({"DATE"})
# Token gap buckets: 0, 1, 2, 3-4, 5-8, 9-16, 17-32, 33+.
GAP_BOUNDS = (0, 1, 2, 4, 8, 16, 32)


# Dependency paths longer than this many arcs are cut (their tokens are not pooled).
MAX_PATH = 8


@dataclass(frozen=True, slots=True)
class Pair:
    """A candidate (head, child), the properties whose domain and range it fits, and the tokens
    on the dependency path between the two spans' roots (outside both spans)."""

    head: Span
    child: Span
    allowed: frozenset[str]
    path: tuple[int, ...] = ()
    path_deps: tuple[str, ...] = ()
    head_classes: frozenset[str] = frozenset()
    child_classes: frozenset[str] = frozenset()


def span_classes(span: Span, schema: Schema) -> frozenset[str]:
    """The ontology classes (local names, with superclasses) a span is an instance of."""
    names: set[str] = set()
    if span.has_extension("classes") and span._.classes:
        for iri in span._.classes:
            name = term_name(iri)
            if name is not None:
                names.update(schema.superclasses.get(name, {name}))
    elif span.label_ in schema.labels:
        names.update(schema.superclasses.get(span.label_, {span.label_}))
    elif span.label_ in DATE_ENTITY_LABELS:
        names.add(DATE_LABEL)
    return frozenset(names & schema.labels)


def allowed_properties(
    head: frozenset[str], child: frozenset[str], schema: Schema
) -> frozenset[str]:
    """Properties whose domain contains a class of `head` and whose range one of `child`."""
    return frozenset(
        prop
        for prop in schema.properties
        if head & schema.domains[prop] and child & schema.ranges[prop]
    )


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    if doc.has_annotation("SENT_START"):
        return [(s.start, s.end) for s in doc.sents]
    return [(0, len(doc))]


def candidate_pairs(
    doc: Doc, spans: Sequence[Span] | None = None, schema: Schema | None = None
) -> list[Pair]:
    """Every ordered pair of spans in one sentence that some property's domain/range admits."""
    schema = schema or load_schema()
    spans = list(doc.ents) if spans is None else list(spans)
    classes = [span_classes(span, schema) for span in spans]
    pairs: list[Pair] = []
    order = sorted(range(len(spans)), key=lambda i: spans[i].start)
    first = 0  # spans and sentences both go left to right: one sweep, not sentences x spans
    for start, end in _sentences(doc):
        while first < len(order) and spans[order[first]].start < start:
            first += 1
        inside = []
        for i in order[first:]:
            if spans[i].start >= end:
                break
            if spans[i].end <= end:
                inside.append(i)
        for i in inside:
            if not classes[i]:
                continue
            for j in inside:
                if i == j or not classes[j] or _gap(spans[i], spans[j]) > MAX_GAP:
                    continue
                allowed = allowed_properties(classes[i], classes[j], schema)
                if allowed:
                    path, deps = dependency_path(doc, spans[i], spans[j])
                    pairs.append(
                        Pair(spans[i], spans[j], allowed, path, deps, classes[i], classes[j])
                    )
    return pairs


def dependency_path(doc: Doc, head: Span, child: Span) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Tokens between the two spans' roots in the parse, and the arcs' labels on the way.

    Read from `doc[i].head` of the Doc the spans index into (at training the reference, whose
    parse `to_docbin` copied from the English model; at ingest the parsed Doc itself).
    """
    if not doc.has_annotation("DEP"):
        return (), ()
    up_head = _ancestors(doc, head.root.i)
    up_child = _ancestors(doc, child.root.i)
    on_child_side = set(up_child)
    common = next((i for i in up_head if i in on_child_side), None)
    if common is None:
        return (), ()
    left = up_head[: up_head.index(common) + 1]
    right = up_child[: up_child.index(common)]
    arcs = left + right[::-1]
    if len(arcs) > MAX_PATH + 1:
        return (), ()
    inside = set(range(head.start, head.end)) | set(range(child.start, child.end))
    deps = tuple(doc[i].dep_ for i in left[:-1]) + tuple(doc[i].dep_ for i in right)
    return tuple(i for i in arcs if i not in inside), deps


def _ancestors(doc: Doc, i: int) -> list[int]:
    chain = [i]
    while doc[chain[-1]].head.i != chain[-1] and len(chain) <= 64:
        chain.append(doc[chain[-1]].head.i)
    return chain


def _gap(a: Span, b: Span) -> int:
    return max(b.start - a.end, a.start - b.end, 0)


def feature_names(schema: Schema, dep_labels: Sequence[str] = ()) -> list[str]:
    """Names of the fixed features `pair_features` writes, in column order."""
    classes = sorted(schema.labels)
    gaps = [f"gap<={b}" for b in GAP_BOUNDS] + [f"gap>{GAP_BOUNDS[-1]}"]
    paths = [f"arcs={k}" for k in range(MAX_PATH + 1)] + ["no_path"]
    return (
        [f"head:{c}" for c in classes]
        + [f"child:{c}" for c in classes]
        + gaps
        + ["head_first"]
        + [f"dep:{d}" for d in dep_labels]
        + paths
    )


def pair_features(
    pairs: Iterable[Pair], schema: Schema, dep_labels: Sequence[str] = ()
) -> numpy.ndarray:
    """Fixed features per pair: both ends' classes (multi-hot), the gap bucket, the order, the
    arc labels on the dependency path (multi-hot over `dep_labels`) and the path's length."""
    pairs = list(pairs)
    classes = sorted(schema.labels)
    column = {c: i for i, c in enumerate(classes)}
    deps = {d: i for i, d in enumerate(dep_labels)}
    n = len(classes)
    base = 2 * n + len(GAP_BOUNDS) + 2
    width = base + len(deps) + MAX_PATH + 2
    out = numpy.zeros((len(pairs), width), dtype="float32")
    for row, pair in enumerate(pairs):
        for name in pair.head_classes:
            out[row, column[name]] = 1.0
        for name in pair.child_classes:
            out[row, n + column[name]] = 1.0
        gap = _gap(pair.head, pair.child)
        bucket = next((k for k, bound in enumerate(GAP_BOUNDS) if gap <= bound), len(GAP_BOUNDS))
        out[row, 2 * n + bucket] = 1.0
        out[row, base - 1] = float(pair.head.start < pair.child.start)
        for dep in pair.path_deps:
            if dep in deps:
                out[row, base + deps[dep]] = 1.0
        arcs = len(pair.path_deps)
        no_path = not pair.path_deps and pair.head.root.i != pair.child.root.i
        out[row, base + len(deps) + (MAX_PATH + 1 if no_path else min(arcs, MAX_PATH))] = 1.0
    return out
