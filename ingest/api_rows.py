"""Rows for the Python API: every IRI comes with its label, and rows turn into a DataFrame.

A notebook user reads names, not IRIs, yet needs the IRI to ask the next query. So each IRI in
a result becomes an `Entity(iri, label)`; literals become plain Python values (as in the app).
Labels are looked up for the whole result in one query per 500 IRIs (`queries/internal/
labels.rq`), falling back to the ontology file for its own terms (a SPARQL server may not hold
the ontology graph) and to the IRI's slug.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from .errors import DependencyError
from .explore.terms import Cell, fallback_label, value
from .store import Store, inject_value_rows, internal_query

if TYPE_CHECKING:
    import pandas

    from .console import ConsoleResult
    from .store import QueryResult

LABEL_BATCH = 500
IRI_SUFFIX = "_iri"


@dataclass(frozen=True)
class Entity:
    """An IRI in a result, with the name to show for it (`str(entity)` is the label)."""

    iri: str
    label: str

    def __str__(self) -> str:
        return self.label


Value = Entity | Cell
"""One cell of a row: an Entity for an IRI, else a plain value (str, int, float, bool, None)."""
Row = dict[str, Value]


class Rows(Sequence[Row]):
    """The rows of one answer, in the query's order, with its column names.

    `truncated` is True when a free `sparql()` query hit its row limit.
    """

    def __init__(self, columns: Sequence[str], rows: list[Row], *, truncated: bool = False):
        self.columns = tuple(columns)
        self._rows = rows
        self.truncated = truncated

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows)

    def __repr__(self) -> str:
        more = ", truncated" if self.truncated else ""
        return f"<Rows: {len(self)} rows × {len(self.columns)} columns {list(self.columns)}{more}>"

    def to_dataframe(self) -> pandas.DataFrame:
        """A pandas DataFrame: an IRI column `x` holds labels and `x_iri` beside it the IRIs.

        pandas is optional: without it this raises DependencyError, the rest works.
        """
        try:
            import pandas
        except ImportError as exc:
            raise DependencyError(
                "pandas is not installed",
                "Rows.to_dataframe",
                "install it (pip install pandas), or use the rows as dicts",
            ) from exc
        data: dict[str, list[Cell]] = {}
        for column in self.columns:
            cells = [row.get(column) for row in self._rows]
            if any(isinstance(cell, Entity) for cell in cells):
                data[column] = [cell.label if isinstance(cell, Entity) else cell for cell in cells]
                data[column + IRI_SUFFIX] = [
                    cell.iri if isinstance(cell, Entity) else None for cell in cells
                ]
            else:
                data[column] = cells  # type: ignore[assignment]
        return pandas.DataFrame(data, columns=list(data))


def labelled_rows(store: Store, result: QueryResult | ConsoleResult) -> Rows:
    """A store's answer as Rows, each IRI with its label (ASK: one `boolean` row)."""
    truncated = bool(getattr(result, "truncated", False))
    if result.kind == "ask":
        return Rows(["boolean"], [{"boolean": bool(result.boolean)}])
    if result.kind == "construct":
        graph = result.graph
        triples = sorted(graph, key=lambda t: tuple(str(x) for x in t)) if graph else []
        columns = ["subject", "predicate", "object"]
        terms: list[list[Node | None]] = [list(t) for t in triples]
    else:
        columns = list(result.vars)
        terms = [[row.get(name) for name in columns] for row in result.rows]
    iris = {t for row in terms for t in row if isinstance(t, URIRef)}
    names = labels(store, iris)
    rows = [
        {name: _cell(term, names) for name, term in zip(columns, row, strict=True)} for row in terms
    ]
    return Rows(columns, rows, truncated=truncated)


def _cell(term: Node | None, names: dict[URIRef, str]) -> Value:
    if isinstance(term, URIRef):
        return Entity(str(term), names[term])
    if isinstance(term, BNode):
        return "_:" + str(term)
    return value(term)


def labels(store: Store, iris: set[URIRef], *, files: bool = True) -> dict[URIRef, str]:
    """The name of each IRI: its label in the store, else in the ontology file, else its slug.

    `files=False` skips the ontology file (parsing it costs ~0.5 s) for a store known to hold
    the ontology graph, as the app's store does (`ensure_reference`).
    """
    ordered = sorted(iris)
    found: dict[URIRef, tuple[tuple[int, int, str], str]] = {}
    for start in range(0, len(ordered), LABEL_BATCH):
        batch = ordered[start : start + LABEL_BATCH]
        text = inject_value_rows(internal_query("labels"), "entity", batch)
        for row in store.query(text).rows:
            _keep(found, row.get("entity"), row.get("label"), int(str(row.get("rank") or 9)))
    missing = [iri for iri in ordered if iri not in found]
    if missing and files:
        from .ontology import ontology_graph

        graph = ontology_graph()
        for iri in missing:
            for rank, predicate in enumerate((RDFS.label, SKOS.prefLabel, DCTERMS.title), 1):
                for label in graph.objects(iri, predicate):
                    _keep(found, iri, label, rank)
    return {iri: found[iri][1] if iri in found else fallback_label(iri) for iri in ordered}


def _keep(
    found: dict[URIRef, tuple[tuple[int, int, str], str]],
    iri: Node | None,
    label: Node | None,
    rank: int,
) -> None:
    """Keep the best name: a label over a title, English or untagged over other languages."""
    if not isinstance(iri, URIRef) or not isinstance(label, Literal) or not str(label).strip():
        return
    language = label.language or ""
    order = (rank, 0 if language.startswith("en") else 1 if not language else 2, str(label))
    if iri not in found or order < found[iri][0]:
        found[iri] = (order, str(label))
