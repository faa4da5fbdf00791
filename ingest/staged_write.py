"""A large named graph written to the embedded store in bounded pieces, seen only when whole.

One Oxigraph transaction holds every key it writes in memory, and its cost grows faster than
its size (measured here: 100k quads 7 s and 0.24 GB, 200k 25 s and 0.45 GB, 400k 44 s and
0.68 GB; dropping a 400k-quad graph in one transaction 130 s and +0.47 GB). A long document's
graph is hundreds of thousands of quads, so it is written in transactions of at most
`PART_QUADS` quads instead, with a marker that hides it from every reader until it is
complete:

1. One small transaction adds `<graph> state "writing"` and, for each graph it replaces,
   `<old> retiredBy <graph>` to the staging graph (`STAGING_GRAPH`). Readers leave out a
   graph being written, and a graph retired by one that is no longer being written
   (`hidden_graphs`): for now the old graphs stay visible and the new one is hidden.
2. The quads go in, part by part (each part one transaction; memtables flushed now and then,
   so memory stays flat).
3. Removing the one quad `<graph> state "writing"` is the step readers see: the new graph
   appears and the ones it replaces disappear, atomically.
4. The retired graphs are deleted in bounded pieces, then their markers.

A failure in step 2 deletes what was written and the marker, so the store is as before; a
crash (a killed process) leaves only marked graphs, which readers never see and which the next
writer to open the store deletes (`recover`). Reads that leave graphs out name the visible
graphs explicitly, which costs more than Oxigraph's union of all graphs: only while an ingest
runs or after a crash, until the next writer opens the store.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from .iri import graph_iri

STAGING_GRAPH = ox.NamedNode(str(graph_iri("staging")))
STATE = ox.NamedNode(str(graph_iri("staging")) + "#state")
RETIRED_BY = ox.NamedNode(str(graph_iri("staging")) + "#retiredBy")
WRITING = ox.Literal("writing")
# Quads per transaction (20k take about 40 MB), and between memtable flushes of an on-disk
# store (without them RocksDB's write buffers grew by 0.4 GB over 400k quads).
PART_QUADS = 20_000
FLUSH_QUADS = PART_QUADS


def _marks(store: ox.Store, predicate: ox.NamedNode) -> list[ox.Quad]:
    return list(store.quads_for_pattern(None, predicate, None, STAGING_GRAPH))


def hidden_graphs(store: ox.Store) -> set[ox.NamedNode]:
    """Graphs a reader must not see: being written, or replaced by a complete graph."""
    writing = {q.subject for q in _marks(store, STATE) if isinstance(q.subject, ox.NamedNode)}
    retired = {
        q.subject
        for q in _marks(store, RETIRED_BY)
        if isinstance(q.subject, ox.NamedNode) and q.object not in writing
    }
    return writing | retired


def visible_graphs(store: ox.Store) -> list[ox.NamedNode] | None:
    """The named graphs a reader sees, or None when nothing is staged (it sees them all)."""
    hidden = hidden_graphs(store)
    if not hidden:
        return None
    hidden.add(STAGING_GRAPH)
    return [g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g not in hidden]


class _Flusher:
    """Flushes an on-disk store's memtables every `FLUSH_QUADS` quads written or removed."""

    def __init__(self, store: ox.Store, on_disk: bool) -> None:
        self.store, self.on_disk, self.count = store, on_disk, 0

    def add(self, quads: int) -> None:
        self.count += quads
        if self.on_disk and self.count >= FLUSH_QUADS:
            self.store.flush()
            self.count = 0


def _delete_graph(store: ox.Store, graph: ox.NamedNode, flusher: _Flusher) -> None:
    """All quads of `graph`, removed in bounded pieces, then the (empty) graph itself."""
    while part := list(
        itertools.islice(store.quads_for_pattern(None, None, None, graph), PART_QUADS)
    ):
        for quad in part:
            store.remove(quad)
        flusher.add(len(part))
    if store.contains_named_graph(graph):
        store.remove_graph(graph)


def _remove(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    for quad in list(quads):
        store.remove(quad)
    empty = next(iter(store.quads_for_pattern(None, None, None, STAGING_GRAPH)), None) is None
    if empty and store.contains_named_graph(STAGING_GRAPH):
        store.remove_graph(STAGING_GRAPH)


def write_graph(
    store: ox.Store,
    target: ox.NamedNode,
    parts: Iterable[Iterable[ox.Quad]],
    also_drop: Sequence[ox.NamedNode] = (),
    *,
    on_disk: bool = True,
) -> int:
    """Write `parts` (quads of `target`) hidden, then show them and hide `also_drop` at once.

    `target` must not exist yet (a document's graph is named by its content). On any error
    while `parts` is read or written, what was written is deleted and the error goes on.
    Returns the number of quads written.
    """
    if store.contains_named_graph(target):
        raise ValueError(f"{target} exists: staged writes are for new graphs only")
    retire = sorted(
        {old for old in also_drop if old != target and store.contains_named_graph(old)},
        key=lambda g: g.value,
    )
    writing = ox.Quad(target, STATE, WRITING, STAGING_GRAPH)
    retired = [ox.Quad(old, RETIRED_BY, target, STAGING_GRAPH) for old in retire]
    store.extend([writing, *retired])
    flusher = _Flusher(store, on_disk)
    written = 0
    try:
        for part in parts:
            quads = iter(part)
            while chunk := list(itertools.islice(quads, PART_QUADS)):
                store.extend(chunk)
                written += len(chunk)
                flusher.add(len(chunk))
    except BaseException:
        _delete_graph(store, target, _Flusher(store, on_disk))
        _remove(store, retired)  # before `writing`: without it, the old graphs would hide
        _remove(store, [writing])
        raise
    store.remove(writing)  # the one step readers see
    for old, mark in zip(retire, retired, strict=True):
        _delete_graph(store, old, flusher)
        _remove(store, [mark])
    return written


def recover(store: ox.Store, *, on_disk: bool = True) -> list[ox.NamedNode]:
    """Finish what a crashed writer left: a half-written graph is deleted (the graphs it was
    to replace stay), graphs replaced by a complete one are deleted. Returns what went."""
    flusher = _Flusher(store, on_disk)
    writing = {q.subject for q in _marks(store, STATE)}
    gone: list[ox.NamedNode] = []
    for mark in sorted(_marks(store, RETIRED_BY), key=lambda q: q.subject.value):
        if mark.object in writing:  # the swap never happened: the old graph stays
            _remove(store, [mark])
        elif isinstance(mark.subject, ox.NamedNode):
            _delete_graph(store, mark.subject, flusher)
            gone.append(mark.subject)
            _remove(store, [mark])
    for mark in sorted(_marks(store, STATE), key=lambda q: q.subject.value):
        if isinstance(mark.subject, ox.NamedNode):
            _delete_graph(store, mark.subject, flusher)
            gone.append(mark.subject)
        _remove(store, [mark])
    _remove(store, [])
    return gone


def drop_graph(store: ox.Store, graph: ox.NamedNode, *, on_disk: bool = True) -> None:
    """Hide `graph` in one step, then delete it in bounded pieces (a crash in between leaves
    it hidden, and `recover` deletes it)."""
    mark = ox.Quad(graph, RETIRED_BY, STAGING_GRAPH, STAGING_GRAPH)  # retired by nothing
    store.add(mark)
    _delete_graph(store, graph, _Flusher(store, on_disk))
    _remove(store, [mark])
