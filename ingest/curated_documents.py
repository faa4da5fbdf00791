"""Is an ingested source a copy of a document the reference data already describes?

Analysts ingest the texts of documents that are curated individuals (the Overarching Space
Policy, the Commercial Space Strategy). Such a source is linked to the curated document with
`prov:alternateOf`, so the graph holds one document with two sources: the curated record and
the ingested text. It is a copy when its url is one of the curated document's `dct:source`
addresses (scheme, "www.", a trailing slash and the fragment do not count), or when its title
is the curated label or an alternative label (a trailing " | Site", " - Site" or a remark in
parentheses aside) and
both dates lie within `DATE_TOLERANCE_DAYS`. An address or title claimed by two curated
documents links to neither.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

from rdflib import DCTERMS, RDF, RDFS, SKOS, URIRef

from .load import SourceText
from .vocab import SKG

DATE_TOLERANCE_DAYS = 7
# What a page adds to a document's title: " | NATO", " - Ministry", " (public version)".
_SITE_SUFFIX = re.compile(r"\s+(?:[|–—-]\s+[^|–—-]{1,40}|\([^()]{1,40}\))$")


@dataclass(frozen=True)
class CuratedDocument:
    iri: URIRef
    label: str
    date: str | None


def url_key(url: str) -> str:
    """An address without what does not tell pages apart: scheme, "www.", fragment, end
    slash, default port and campaign-tracking parameters (utm_*)."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.").removesuffix(":443").removesuffix(":80")
    path = parts.path.rstrip("/")
    query = [
        pair
        for pair in parse_qsl(parts.query, keep_blank_values=True)
        if not pair[0].lower().startswith("utm_")
    ]
    return host + path + (f"?{urlencode(query)}" if query else "")


def title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).replace("’", "'")
    return " ".join(re.sub(r"[^\w' ]+", " ", text.casefold()).split())


@dataclass(frozen=True)
class _Index:
    by_url: dict[str, tuple[CuratedDocument, ...]]
    by_title: dict[str, tuple[CuratedDocument, ...]]


@lru_cache(maxsize=1)
def _index() -> _Index:
    from .ontology import ontology_graph, reference_graph

    graph, ontology = reference_graph(), ontology_graph()
    document_classes = set(ontology.transitive_subjects(RDFS.subClassOf, SKG.Document))
    by_url: dict[str, list[CuratedDocument]] = {}
    by_title: dict[str, list[CuratedDocument]] = {}
    for cls in document_classes:
        for iri in graph.subjects(RDF.type, cls):
            if not isinstance(iri, URIRef):
                continue
            label = graph.value(iri, RDFS.label)
            when = graph.value(iri, SKG.date)
            document = CuratedDocument(iri, str(label or iri), str(when) if when else None)
            for source in graph.objects(iri, DCTERMS.source):
                by_url.setdefault(url_key(str(source)), []).append(document)
            for name in (label, *graph.objects(iri, SKOS.altLabel)):
                if name is not None:
                    by_title.setdefault(title_key(str(name)), []).append(document)

    def deduplicated(
        table: dict[str, list[CuratedDocument]],
    ) -> dict[str, tuple[CuratedDocument, ...]]:
        return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}

    return _Index(deduplicated(by_url), deduplicated(by_title))


def _day(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso) if len(iso) == 10 else None
    except ValueError:
        return None


def dates_agree(a: str | None, b: str | None) -> bool:
    """Within the tolerance for two days; the same year or month at a coarser precision."""
    if not a or not b:
        return False
    day_a, day_b = _day(a), _day(b)
    if day_a is not None and day_b is not None:
        return abs((day_a - day_b).days) <= DATE_TOLERANCE_DAYS
    return a.startswith(b) or b.startswith(a)


def copy_of(source: SourceText) -> tuple[CuratedDocument, str] | None:
    """The curated document `source` is a copy of, and how that was decided; else None."""
    index = _index()
    if source.url:
        found = index.by_url.get(url_key(source.url), ())
        if len(found) == 1:
            return found[0], "the same url"
    for title in dict.fromkeys((source.title, _SITE_SUFFIX.sub("", source.title))):
        found = tuple(
            d for d in index.by_title.get(title_key(title), ()) if dates_agree(d.date, source.date)
        )
        if len(found) == 1:
            return found[0], "the same title and date"
    return None
