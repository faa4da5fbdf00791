"""Which inputs of an ingest replace which stored documents: versions by url or path.

An input is a new version of a stored document when it has the same url or the same file path;
within one run, the later of two inputs with the same url or path wins, exactly as if they had
been ingested one run after the other. The plan is made for the whole run before anything is
extracted, so it never depends on where batches split the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Literal as RDFLiteral
from rdflib import URIRef
from rdflib.namespace import XSD

from .iri import source_graph
from .load import SourceText
from .store import Store, internal_query


def previous_versions(store: Store, source: SourceText) -> list[URIRef]:
    """Graphs of earlier versions of the same url or path (a changed document replaces them)."""
    found: set[URIRef] = set()
    if source.url:
        rows = store.query(
            internal_query("sources_by_url"), {"url": RDFLiteral(source.url, datatype=XSD.anyURI)}
        ).rows
        found.update(row["g"] for row in rows if isinstance(row["g"], URIRef))
    if source.path:
        rows = store.query(
            internal_query("sources_by_path"), {"path": RDFLiteral(source.path)}
        ).rows
        found.update(row["g"] for row in rows if isinstance(row["g"], URIRef))
    found.discard(source_graph(source.docid))
    return sorted(found)


def _keys(source: SourceText) -> list[tuple[str, str]]:
    """What makes two inputs versions of one document: the same url, or the same file path."""
    keys = []
    if source.url:
        keys.append(("url", source.url))
    if source.path:
        keys.append(("path", source.path))
    return keys


def source_name(source: SourceText) -> str:
    return source.path or source.title


@dataclass
class Plan:
    """Which inputs of one run are written, which are unchanged and which are superseded.

    Decided for the whole run before anything is extracted, so the outcome never depends on
    where the batches happen to split the input.
    """

    write: list[int] = field(default_factory=list)  # new content: extract and commit, in order
    unchanged: dict[int, str] = field(default_factory=dict)  # index -> note ("" if none)
    superseded: dict[int, tuple[int, str]] = field(default_factory=dict)  # -> (by, shared key)
    # A written or unchanged input also replaces the stored versions of those it superseded.
    supersedes: dict[int, list[int]] = field(default_factory=dict)
    keep: set[URIRef] = field(default_factory=set)  # graphs of inputs that stay: never dropped


def make_plan(sources: Sequence[SourceText], existing: set[URIRef], failed: set[int]) -> Plan:
    """Later wins: an input is superseded by the first later one sharing its url or path.

    That is what ingesting them one run after another would do. Failed inputs take no part (a
    failed file changes nothing, so the version before it stands). Of the remaining inputs,
    one whose content is stored already, or came earlier in this run, is unchanged.
    """
    plan = Plan()
    first_later: dict[tuple[str, str], int] = {}
    for i in reversed(range(len(sources))):
        if i in failed:
            continue
        keys = _keys(sources[i])
        later = sorted((first_later[k], k[0]) for k in keys if k in first_later)
        if later:
            plan.superseded[i] = later[0]
        for key in keys:
            first_later[key] = i
    seen: dict[str, int] = {}
    for i, source in enumerate(sources):
        if i in failed or i in plan.superseded:
            continue
        plan.keep.add(source_graph(source.docid))
        if source.docid in seen:
            plan.unchanged[i] = f"same content as {source_name(sources[seen[source.docid]])}"
        elif source_graph(source.docid) in existing:
            plan.unchanged[i] = ""
        else:
            plan.write.append(i)
        seen.setdefault(source.docid, i)
    for i in plan.superseded:
        winner = i
        while winner in plan.superseded:
            winner = plan.superseded[winner][0]
        plan.supersedes.setdefault(winner, []).append(i)
    return plan


def superseded_versions(
    store: Store, sources: Sequence[SourceText], plan: Plan, winner: int, existing: set[URIRef]
) -> set[URIRef]:
    """Stored graphs of the inputs `winner` supersedes and of their earlier versions."""
    found: set[URIRef] = set()
    for i in plan.supersedes.get(winner, []):
        found.update(previous_versions(store, sources[i]))
        if source_graph(sources[i].docid) in existing:
            found.add(source_graph(sources[i].docid))
    return found - plan.keep


def supersedes_note(sources: Sequence[SourceText], plan: Plan, winner: int) -> list[str]:
    names = [source_name(sources[i]) for i in sorted(plan.supersedes.get(winner, []))]
    return [f"supersedes {', '.join(names)} (same url or path, given earlier)"] if names else []
