"""Drawable graphs: Graphviz DOT text, a filtered selection of edges, and relations read from a
query result."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import URIRef

from .origins import origins_of
from .terms import curie, fallback_label, local_name

if TYPE_CHECKING:
    from .results import Answer


# Edge styles for graph drawings, one per origin (colour-blind safe pairs of colour and dash).
ORIGIN_STYLES = {
    "curated": ('"#1f77b4"', "solid"),
    "asserted": ('"#2ca02c"', "solid"),
    "inferred": ('"#9467bd"', "dashed"),
    "review": ('"#ff7f0e"', "dotted"),
}

_DOT_UNSAFE = re.compile(r'["\\\n\r]')


def _dot_text(text: str, limit: int = 40) -> str:
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return (
        '"' + _DOT_UNSAFE.sub(lambda m: {"\n": " ", "\r": " "}.get(m[0], "\\" + m[0]), short) + '"'
    )


def to_dot(
    nodes: Mapping[str, str],
    edges: Iterable[tuple[str, str, str, str]],
    center: str | None = None,
) -> str:
    """Graphviz DOT text; labels are quoted and escaped, node ids are numbers (not IRIs)."""
    ids = {iri: f"n{i}" for i, iri in enumerate(nodes)}
    lines = [
        "digraph G {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fa", fontname="sans-serif",'
        " fontsize=11];",
        '  edge [fontname="sans-serif", fontsize=9];',
    ]
    for iri, label in nodes.items():
        extra = ', fillcolor="#ffd8a8", penwidth=2' if iri == center else ""
        lines.append(f"  {ids[iri]} [label={_dot_text(label)}{extra}];")
    for s, label, o, origin in edges:
        if s not in ids or o not in ids:
            continue
        color, style = ORIGIN_STYLES.get(origin, ('"#777777"', "solid"))
        lines.append(
            f"  {ids[s]} -> {ids[o]} [label={_dot_text(label, 30)}, color={color},"
            f" fontcolor={color}, style={style}];"
        )
    lines.append("}")
    return "\n".join(lines)


def select_edges(
    nodes: Mapping[str, str],
    edges: Iterable[tuple[str, str, str, str]],
    relations: Iterable[str] | None = None,
    origins: Iterable[str] | None = None,
    center: str | None = None,
) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """The edges whose relation label and origin are chosen (None: all), and the nodes they
    touch (the centre always stays, so a filter that hides everything still shows where
    you are)."""
    wanted_relations = None if relations is None else set(relations)
    wanted_origins = None if origins is None else set(origins)
    kept = [
        e
        for e in edges
        if (wanted_relations is None or e[1] in wanted_relations)
        and (wanted_origins is None or e[3] in wanted_origins)
    ]
    touched = {center} if center else set()
    touched |= {e[0] for e in kept} | {e[2] for e in kept}
    return {iri: label for iri, label in nodes.items() if iri in touched}, kept


RELATION_COLUMNS = ("predicate", "property", "relation", "p", "step1")


@dataclass
class RelationGraph:
    """Edges read from a result whose rows are relations; empty when they are not."""

    nodes: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)


def relation_graph(
    result: Answer, center: str | None = None, max_edges: int = 150
) -> RelationGraph:
    """Subject/predicate/object-like rows (or a CONSTRUCT graph) as a drawable graph.

    A SELECT result counts as relations when it has a property column (predicate, property,
    relation) whose values are IRIs and two other IRI columns; labels come from `xLabel` columns.
    Rows with a `direction` column and one other end (actor_profile) are drawn around `center`,
    the individual the query was asked about.
    """
    rel = RelationGraph()
    if result.kind == "construct" and result.graph is not None:
        for s, p, o in sorted(result.graph, key=lambda t: tuple(str(x) for x in t)):
            if isinstance(s, URIRef) and isinstance(o, URIRef) and len(rel.edges) < max_edges:
                rel.nodes.setdefault(str(s), curie(s))
                rel.nodes.setdefault(str(o), curie(o))
                rel.edges.append((str(s), local_name(p), str(o), "other"))
        return rel
    if result.kind != "select" or not result.rows:
        return rel
    columns = list(result.vars)
    iri_columns = [
        c
        for c in columns
        if all(isinstance(r.get(c), URIRef | None) for r in result.rows)
        and any(isinstance(r.get(c), URIRef) for r in result.rows)
    ]
    prop = next((c for c in RELATION_COLUMNS if c in iri_columns), None)
    if prop is None:
        return rel
    ends = [c for c in iri_columns if c != prop and not c.endswith("Label")]
    if center and "direction" in columns and ends:
        other = ends[0]
        rel.nodes[center] = fallback_label(center)
        for row in result.rows[:max_edges]:
            o, p = row.get(other), row.get(prop)
            if not (isinstance(o, URIRef) and isinstance(p, URIRef)):
                continue
            rel.nodes.setdefault(str(o), str(row.get(other + "Label") or fallback_label(o)))
            s, t = (center, str(o)) if str(row.get("direction")) == "out" else (str(o), center)
            origin = origins_of(row.get("origins"))
            rel.edges.append((s, local_name(p), t, origin[0] if origin else "other"))
        return rel
    if {"subject", "object"} <= set(ends):
        first, second = "subject", "object"
    elif len(ends) >= 2:
        first, second = ends[0], ends[1]
    else:
        return rel
    for row in result.rows:
        s, p, o = row.get(first), row.get(prop), row.get(second)
        if not (isinstance(s, URIRef) and isinstance(o, URIRef) and isinstance(p, URIRef)):
            continue
        if len(rel.edges) >= max_edges:
            break
        rel.nodes.setdefault(str(s), str(row.get(first + "Label") or fallback_label(s)))
        rel.nodes.setdefault(str(o), str(row.get(second + "Label") or fallback_label(o)))
        origin = origins_of(row.get("origins"), row.get("status"))
        rel.edges.append((str(s), local_name(p), str(o), origin[0] if origin else "other"))
    return rel
