"""Terms and text: ontology IRIs, short names, readable labels, escaping and dates.

Everything the other explore modules need to turn rdflib terms into what a page shows: plain
values, CURIEs, class words, markdown made inert, days for a timeline.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache

from rdflib import RDFS, Literal, URIRef
from rdflib.term import Node

from ingest.config import ONTOLOGY_NS
from ingest.errors import InputError
from ingest.iri import kind_of
from ingest.queries import expand_iri, shorten

SKG = ONTOLOGY_NS
Cell = str | int | float | bool | None
"""A term as a plain value (see `value`): what a table cell or a query row holds."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def skg(local: str) -> URIRef:
    """IRI of an ontology term."""
    return URIRef(SKG + local)


def value(term: Node | None) -> Cell:
    """A term as a plain Python value: IRIs as str, numbers as int/float, the rest as text."""
    if term is None:
        return None
    if isinstance(term, Literal):
        python = term.toPython()
        if isinstance(python, bool):
            return python
        if isinstance(python, int):
            return python
        if isinstance(python, float | Decimal):
            return float(python)
        return str(term)
    return str(term)


def curie(iri: str | Node) -> str:
    """Short name of an IRI for links and tables (`skgid:actor/russia`)."""
    text = shorten(URIRef(str(iri)))
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def parse_entity(ref: str) -> URIRef:
    """An entity IRI from a shared link: a full IRI, a CURIE or kind/slug (raises InputError)."""
    try:
        return expand_iri(ref)
    except ValueError as exc:
        raise InputError(f"not an entity reference: {exc}", "link", "check the URL") from exc


def local_name(iri: object) -> str:
    """The last segment of an IRI (`…#hasCapability` -> hasCapability)."""
    text = str(iri or "")
    return re.split(r"[#/]", text)[-1]


def fallback_label(iri: object) -> str:
    """A readable name when an individual has no label: its slug with spaces."""
    return local_name(iri).replace("-", " ") or str(iri)


def class_words(local: str) -> str:
    """A class local name as the ontology labels it (`MilitaryCommand` -> military command)."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


@lru_cache(maxsize=1)
def _class_labels() -> dict[str, str]:
    from ingest.ontology import ontology_graph

    graph = ontology_graph()
    return {
        str(cls): str(label)
        for cls, label in graph.subject_objects(RDFS.label)
        if str(cls).startswith(SKG)
    }


def type_words(term: object) -> str:
    """An ontology class in plain words, its `rdfs:label` (`skg:ASATTest` -> ASAT test).

    Takes a full IRI or a local name; a class the ontology does not label falls back to
    `class_words`, so a page never shows a CamelCase name.
    """
    text = str(term or "")
    if not text:
        return ""
    iri = text if text.startswith(SKG) else SKG + local_name(text)
    return _class_labels().get(iri) or class_words(local_name(text))


@lru_cache(maxsize=1)
def _strict_superclasses() -> dict[str, frozenset[str]]:
    from ingest.ontology import ontology_graph

    graph = ontology_graph()
    return {
        str(cls): frozenset(
            str(parent)
            for parent in graph.transitive_objects(cls, RDFS.subClassOf)
            if isinstance(parent, URIRef) and parent != cls
        )
        for cls in set(graph.subjects(RDFS.subClassOf, None))
        if isinstance(cls, URIRef)
    }


def most_specific(classes: object) -> str:
    """The most specific of a space-separated list of class IRIs (a query's GROUP_CONCAT):
    classes that are a superclass of another in the list, by the ontology, are dropped, and
    of the rest the first by IRI is kept. Done here, not in SPARQL: a FILTER NOT EXISTS over
    rdfs:subClassOf+ in a whole-graph query was evaluated once per row."""
    given = sorted(set(str(classes or "").split()))
    supers = _strict_superclasses()
    wider = {parent for cls in given for parent in supers.get(cls, ())}
    narrowest = [cls for cls in given if cls not in wider]
    return (narrowest or given or [""])[0]


# Which page shows an entity of each IRI kind, and under which URL parameter.
PAGE_FOR_KIND = {
    "capability": ("threats", "capability"),
    "document": ("doctrine", "doc"),
    "source": ("doctrine", "doc"),
    "concept": ("doctrine", "concept"),
    "event": ("events", "entity"),
}


def page_for(iri: object) -> tuple[str, str]:
    """The page (name in the app's PAGES) and URL parameter that open an entity."""
    return PAGE_FOR_KIND.get(kind_of(iri), ("actors", "entity"))


def md_escape(text: object) -> str:
    """Untrusted text made inert for Streamlit markdown (labels, titles, sentences)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text).replace("\n", " "))


def iso_date(text: object) -> str | None:
    """A day for a timeline from xsd:date, gYearMonth or gYear text (month/year -> first day)."""
    raw = str(text or "").strip()
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", raw)
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
