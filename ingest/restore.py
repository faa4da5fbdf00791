"""`spacekg import FILE`: restore document graphs from an export, without trusting the file.

An import is read and checked completely before anything is written, then written in one
SPARQL update (one transaction on both backends), so it lands whole or not at all, also when
the process is killed:

1. The file is read with a size limit (regular files only) and parsed by Oxigraph (N-Quads, TriG,
   JSON-LD), whose syntax errors carry the line and column. JSON-LD is first read as JSON and
   refused if it names any context by URL or file (`"@context": "..."`, `@import`): spacekg
   loads no contexts, and Oxigraph's parser has no document loader to fetch them with.
2. Only graphs of ingested documents, `…/graph/source/{docid}`, and of review decisions,
   `…/graph/review/{id}` (checked by `review.decision_graph_problem`), are taken from a file. The
   project's own graphs are never overwritten: the ontology and reference graphs are skipped
   when they equal the curated files (they are loaded from `ontology/` anyway) and refused
   otherwise; the inferred graph is skipped (`spacekg reason` rebuilds it); any other graph is
   refused. One refused graph refuses the whole file.
3. Every document graph is validated like an ingested document (its metadata, then SHACL with
   the ontology and reference data as context); one invalid graph refuses the whole file.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from .config import ONTOLOGY_FILE, ONTOLOGY_NS, REFERENCE_FILE, ROOT
from .errors import StoreError
from .iri import (
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    docid_of,
    is_review_graph,
    source_graph,
    source_iri,
)
from .store import Store, from_ox, guess_format, insert_update

IMPORT_FORMATS: tuple[str, ...] = ("nquads", "trig", "jsonld")
DEFAULT_MAX_IMPORT_BYTES = 256 * 1024 * 1024  # an export, not a source text: far above 10 MiB
_OX_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_SHA256 = URIRef(ONTOLOGY_NS + "sha256")
_SOURCE_DOCUMENT = URIRef(ONTOLOGY_NS + "SourceDocument")
_MAX_LISTED = 5
_TODO = "fix the file, or export it again with `spacekg export`"


@dataclass(frozen=True)
class SkippedGraph:
    """A graph of the file that was not written, and why."""

    graph: URIRef
    reason: str


@dataclass
class ImportPlan:
    """A file read and checked completely; nothing written yet."""

    path: Path
    fmt: str
    graphs: dict[URIRef, list[ox.Triple]] = field(default_factory=dict)  # to write
    skipped: list[SkippedGraph] = field(default_factory=list)


@dataclass(frozen=True)
class RestoreResult:
    """What an import did: the graphs written (sorted) and the graphs skipped, with reasons."""

    path: Path
    restored: list[URIRef]
    skipped: list[SkippedGraph]

    def lines(self) -> list[str]:
        """The report the CLI prints: one line for the restore, one per skipped graph."""
        lines = [f"restored {len(self.restored)} graph(s) from {self.path}"]
        lines += [f"skipped <{s.graph}>: {s.reason}" for s in self.skipped]
        return lines


# --- public entry points -----------------------------------------------------------------------


def restore_file(
    store: Store,
    path: Path,
    fmt: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_IMPORT_BYTES,
) -> RestoreResult:
    """Read, check and write an import; all graphs in one transaction, or a StoreError and
    nothing written."""
    return write_plan(store, read_import(path, fmt, max_bytes=max_bytes))


def read_import(
    path: Path, fmt: str | None = None, *, max_bytes: int = DEFAULT_MAX_IMPORT_BYTES
) -> ImportPlan:
    """Parse and check a file (no store needed, so a store lock is not held while it runs)."""
    path = Path(path)
    fmt = _import_format(path, fmt)
    data = _read_bounded(path, max_bytes)
    if fmt == "jsonld":
        _refuse_loaded_contexts(data, path)
    graphs = _parse(data, fmt, path)
    plan = ImportPlan(path=path, fmt=fmt)
    refused: list[str] = []
    for name in sorted(graphs):
        triples = graphs[name]
        verdict = _classify(name, triples)
        if verdict is None:
            plan.graphs[name] = triples
        elif verdict[0] == "skip":
            plan.skipped.append(SkippedGraph(name, verdict[1]))
        else:
            refused.append(f"<{name}> ({verdict[1]})")
    if refused:
        listed = ", ".join(refused[:_MAX_LISTED])
        if len(refused) > _MAX_LISTED:
            listed += f" and {len(refused) - _MAX_LISTED} more"
        raise StoreError(
            f"import refused: spacekg takes only document graphs "
            f"<{source_graph('')}{{docid}}> and review decisions from a file, not {listed}",
            str(path),
            "curated data lives in ontology/*.ttl and inferences come from `spacekg reason`: "
            "remove these graphs from the file",
        )
    for name, triples in plan.graphs.items():
        if not is_review_graph(name):
            _check_document_graph(name, triples, path)
    return plan


def write_plan(store: Store, plan: ImportPlan) -> RestoreResult:
    """Write every graph of a checked plan in one SPARQL update: all of them or none."""
    shared = _shared_blank_nodes(plan.graphs) if plan.graphs else []
    if shared and not store.shares_blank_nodes_across_graphs():
        raise StoreError(
            f"the file has blank nodes shared by two graphs ({shared[0]}), which "
            f"{store.description} cannot write in one update",
            str(plan.path),
            "give those nodes IRIs, or bulk-load the N-Quads file with the server's own loader "
            "(README: When one machine is not enough)",
        )
    if plan.graphs:
        store.update(replace_graphs_update(plan.graphs))
    return RestoreResult(path=plan.path, restored=sorted(plan.graphs), skipped=list(plan.skipped))


def replace_graphs_update(graphs: Mapping[URIRef, Iterable[ox.Triple]]) -> str:
    """One SPARQL update request replacing several named graphs at once.

    One insert holds every graph, so a blank node shared between graphs stays one node
    (`insert_update`: INSERT DATA, or the template form that Virtuoso takes blank nodes in).
    The text is written by Oxigraph's N-Triples serialiser from parsed terms, never formatted
    from the file's text.
    """
    names = sorted(graphs)
    triples = {n: list(graphs[n]) for n in names}
    drops = "".join(f"DROP SILENT GRAPH {ox.NamedNode(str(n))} ;\n" for n in names)
    blocks = [
        f"GRAPH {ox.NamedNode(str(n))} {{\n"
        + ox.serialize(triples[n], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        + "}\n"
        for n in names
    ]
    blank_nodes = any(
        isinstance(term, ox.BlankNode)
        for listed in triples.values()
        for triple in listed
        for term in (triple.subject, triple.object)
    )
    return drops + insert_update("".join(blocks), blank_nodes=blank_nodes)


def _shared_blank_nodes(graphs: Mapping[URIRef, Iterable[ox.Triple]]) -> list[str]:
    """Blank nodes that occur in more than one graph, as `_:label` (sorted)."""
    seen: dict[ox.BlankNode, URIRef] = {}
    shared: set[str] = set()
    for name, triples in graphs.items():
        for triple in triples:
            for term in (triple.subject, triple.object):
                if isinstance(term, ox.BlankNode) and seen.setdefault(term, name) != name:
                    shared.add(str(term))
    return sorted(shared)


# --- reading -------------------------------------------------------------------------------------


def _import_format(path: Path, fmt: str | None) -> str:
    if fmt is None:
        try:
            fmt = guess_format(path)
        except StoreError as exc:
            raise StoreError(
                exc.what,
                exc.where,
                "use .nq, .trig or .jsonld, or pass --format nquads|trig|jsonld",
            ) from exc
    if fmt == "turtle":
        raise StoreError(
            "Turtle holds no named graphs, so it cannot restore a store",
            str(path),
            "export and import with --format nquads or trig",
        )
    if fmt not in IMPORT_FORMATS:
        raise StoreError(
            f"unknown import format {_clip(fmt)!r}",
            "--format",
            "use one of: " + ", ".join(IMPORT_FORMATS),
        )
    return fmt


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """The file's bytes: a regular file of at most `max_bytes` (no FIFOs, devices, folders)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise StoreError("file not found", str(path), "check the path") from exc
    except OSError as exc:
        raise StoreError(
            f"cannot read the file ({exc.strerror or exc})", str(path), "check the path"
        ) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise StoreError("not a regular file", str(path), "import an export file")
        if info.st_size > max_bytes:
            raise StoreError(
                f"the file has {info.st_size} bytes, more than the import limit of {max_bytes}",
                str(path),
                "split the export, or raise the limit with --max-bytes",
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise StoreError(
            f"cannot read the file ({exc.strerror or exc})", str(path), "check the file"
        ) from exc
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:  # it grew while we read it
        raise StoreError(
            f"the file is larger than the import limit of {max_bytes} bytes",
            str(path),
            "split the export, or raise the limit with --max-bytes",
        )
    if not data.strip():
        raise StoreError("the file is empty", str(path), "import an export of spacekg")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        raise StoreError(
            f"not UTF-8 at line {line}, column {column}", str(path), "save the file as UTF-8"
        ) from exc
    return data


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


class _ContextRefused(Exception):
    def __init__(self, reference: object) -> None:
        self.reference = reference


def _check_context_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json object hook: every object of the document passes here, duplicates included."""
    for key, value in pairs:
        if key == "@import":
            raise _ContextRefused(value)
        if key == "@context":
            for item in value if isinstance(value, list) else [value]:
                if item is not None and not isinstance(item, dict):
                    raise _ContextRefused(item)
    return dict(pairs)


def _refuse_loaded_contexts(data: bytes, path: Path) -> None:
    """Refuse JSON-LD that would load a context from a URL or a file: contexts must be inline."""
    try:
        json.loads(data.decode("utf-8"), object_pairs_hook=_check_context_pairs)
    except _ContextRefused as refused:
        reference = refused.reference
        shown = _clip(reference) if isinstance(reference, str) else _clip(json.dumps(reference))
        raise StoreError(
            f"JSON-LD context {shown!r} refused: spacekg loads no contexts from the web or "
            "from files, contexts must be inline",
            str(path),
            'put the context itself under "@context" (an object), or export with '
            "`spacekg export --format jsonld`",
        ) from None
    except json.JSONDecodeError as exc:
        raise StoreError(
            f"cannot parse jsonld at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            str(path),
            _TODO,
        ) from exc
    except RecursionError as exc:
        raise StoreError("cannot parse jsonld: nested too deeply", str(path), _TODO) from exc


def _parse(data: bytes, fmt: str, path: Path) -> dict[URIRef, list[ox.Triple]]:
    """Triples per named graph; refuses the default graph and terms spacekg cannot keep."""
    graphs: dict[URIRef, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(data, format=_OX_FORMATS[fmt]):
            name = quad.graph_name
            if isinstance(name, ox.DefaultGraph):
                raise StoreError(
                    "the file has triples outside any named graph",
                    str(path),
                    "spacekg keeps every triple in a named graph; use an export of spacekg",
                )
            if not isinstance(name, ox.NamedNode):
                raise StoreError(
                    f"import refused: blank-node graph name {name}",
                    str(path),
                    "name every graph with an IRI",
                )
            for term in (quad.subject, quad.object):
                if isinstance(term, ox.Triple):
                    raise StoreError(
                        f"RDF 1.2 triple terms are not supported (in graph <{name.value}>)",
                        str(path),
                        _TODO,
                    )
                if isinstance(term, ox.Literal) and term.direction is not None:
                    raise StoreError(
                        f"literals with a base direction are not supported (in graph <{name.value}>)",
                        str(path),
                        _TODO,
                    )
            graphs.setdefault(URIRef(name.value), []).append(quad.triple)
    except SyntaxError as exc:
        raise StoreError(_syntax_message(fmt, exc), str(path), _TODO) from exc
    if not graphs:
        raise StoreError("the file holds no named graphs", str(path), "import an export of spacekg")
    return graphs


def _syntax_message(fmt: str, exc: SyntaxError) -> str:
    """`cannot parse trig at line 3, column 18: <what>` from Oxigraph's SyntaxError."""
    text = " ".join(str(exc.msg or exc).split())
    if text.startswith("Parser error") and ": " in text:
        text = text.split(": ", 1)[1]
    if exc.lineno:
        return f"cannot parse {fmt} at line {exc.lineno}, column {exc.offset or 1}: {text}"
    return f"cannot parse {fmt}: {text}"


# --- checking ------------------------------------------------------------------------------------


def _rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    graph = Graph()
    for t in triples:
        graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return graph


def _classify(name: URIRef, triples: list[ox.Triple]) -> tuple[str, str] | None:
    """None: a document graph, to check and write; ("skip"|"refuse", reason) otherwise."""
    if docid_of(name) is not None:
        return None
    if is_review_graph(name):
        from .review import decision_graph_problem

        problem = decision_graph_problem(name, _rdflib_graph(triples))
        return None if problem is None else ("refuse", f"not a review decision: {problem}")
    if name == INFERRED_GRAPH:
        return ("skip", "inferred triples are not imported: run `spacekg reason` to rebuild them")
    curated = {ONTOLOGY_GRAPH: ONTOLOGY_FILE, REFERENCE_GRAPH: REFERENCE_FILE}
    if name in curated:
        shipped = _relative(curated[name])
        if _equals_curated(name, triples):
            return ("skip", f"identical to {shipped}, which spacekg loads itself")
        return ("refuse", f"differs from {shipped}: curated data is edited there, not imported")
    if str(name).startswith(str(source_graph(""))):
        return ("refuse", "not a document graph: the docid must be 16 lower-case hex digits")
    return ("refuse", "not a graph spacekg restores")


def _equals_curated(name: URIRef, triples: list[ox.Triple]) -> bool:
    """The file's graph is the curated file's content (the digest triple spacekg adds aside)."""
    from .ontology import ontology_graph, reference_graph

    shipped = ontology_graph() if name == ONTOLOGY_GRAPH else reference_graph()
    graph = _rdflib_graph(triples)
    graph.remove((name, _SHA256, None))
    return len(graph) == len(shipped) and isomorphic(graph, shipped)


def _check_document_graph(name: URIRef, triples: list[ox.Triple], path: Path) -> None:
    """A document graph is imported only if it would have been accepted at ingest."""
    from .ontology import ontology_and_reference
    from .validate import validate_graph

    docid = docid_of(name)
    assert docid is not None
    graph = _rdflib_graph(triples)
    document = source_iri(docid)
    if (document, RDF.type, _SOURCE_DOCUMENT) not in graph:
        raise StoreError(
            f"import refused: graph <{name}> has no document metadata "
            f"(no <{document}> a skg:SourceDocument)",
            str(path),
            "import only graphs written by `spacekg ingest` and `spacekg export`",
        )
    digests = {str(d) for d in graph.objects(document, _SHA256)}
    if len(digests) == 1 and not next(iter(digests)).startswith(docid):
        raise StoreError(
            f"import refused: graph <{name}>: the document's skg:sha256 does not start with "
            f"its docid {docid}",
            str(path),
            "import only graphs written by `spacekg ingest` and `spacekg export`",
        )
    report = validate_graph(graph, extra=ontology_and_reference())
    if not report.conforms:
        first = report.summary().splitlines()[0]
        count = len(report.violations)
        raise StoreError(
            f"import refused: graph <{name}> violates the shapes ({count} violation(s)); "
            f"first: {first}",
            str(path),
            "fix the graph or ingest the document again; nothing was imported",
        )


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _clip(text: str, limit: int = 200) -> str:
    """A value from the file, on one line and not too long, for an error message."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


__all__ = [
    "DEFAULT_MAX_IMPORT_BYTES",
    "IMPORT_FORMATS",
    "ImportPlan",
    "RestoreResult",
    "SkippedGraph",
    "read_import",
    "replace_graphs_update",
    "restore_file",
    "write_plan",
]
