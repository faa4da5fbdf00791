"""Scoring the extractor against the annotated corpus (`training/annotated/`, docs/annotation.md).

Facts: a gold relation becomes a fact (head, property, child); facts are compared per document,
only with what the pipeline put in *that document's* graph (curated reference data never counts
as extracted). Facts with the ingested document itself as an end (its publisher, "this document
mentions X") are outside the span annotation and are left out of both sides (counted apart).
Relations match strictly (the same property, the same direction). Ends match leniently: an end
annotated with a curated IRI matches that individual; any other end matches an individual one
of whose names (rdfs:label, skos:altLabel, or an alias from `benchmarks/aliases.tsv`) has the
same content words as the span (token Jaccard >= 0.5, after lower-casing, accents, punctuation,
stop words and plural -s are removed), or all of the span's words (a short reference such as
"the test" to the individual named "anti-satellite missile test"). A date matches on its ISO
value.

Entities: gold spans (not dates) against the pipeline's mentions: spans (same offsets), types
(same offsets and a class on the gold label's branch of the hierarchy) and links (gold spans
with a curated IRI: the share whose overlapping mention is linked to that IRI).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ingest.corpus import DATE_LABEL, Record, Schema
from ingest.iri import expand, term_name

ALIASES_FILE = Path(__file__).with_name("aliases.tsv")
STOP_WORDS = frozenset(
    {"a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "at", "by", "with", "from",
     "as", "its", "it", "is", "are", "be", "this", "that", "these", "those", "their", "his",
     "her", "our", "into", "over", "under", "s"}
)  # fmt: skip


def normalise(text: str) -> frozenset[str]:
    """Lower-case content words without punctuation or accents, plurals stripped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split()
    stems = set()
    for word in words:
        if word in STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        stems.add(word)
    return frozenset(stems)


def read_aliases(path: Path = ALIASES_FILE) -> dict[frozenset[str], set[frozenset[str]]]:
    """name -> names it may also be written as (both directions), from a two-column TSV."""
    aliases: dict[frozenset[str], set[frozenset[str]]] = defaultdict(set)
    if not path.exists():
        return aliases
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        a, _, b = line.partition("\t")
        na, nb = normalise(a), normalise(b)
        aliases[na].add(nb)
        aliases[nb].add(na)
    return aliases


def names_match(span: str, names: Iterable[str], aliases: dict) -> bool:
    target = normalise(span)
    if not target:
        return False
    candidates = {target} | aliases.get(target, set())
    for name in names:
        tokens = normalise(name)
        if tokens and any(
            c <= tokens or len(c & tokens) / len(c | tokens) >= 0.5 for c in candidates
        ):
            return True
    return False


@dataclass(frozen=True)
class End:
    """One end of a gold fact: the span's text and, when annotated, its curated individual."""

    text: str
    iri: URIRef | None = None
    value: str | None = None  # dates

    def key(self) -> str:
        return str(self.iri) if self.iri else self.value or " ".join(sorted(normalise(self.text)))


@dataclass(frozen=True)
class GoldFact:
    document: str
    head: End
    relation: str
    child: End
    sentence: str


@dataclass(frozen=True)
class FoundFact:
    document: str
    subject: URIRef
    relation: str
    object: URIRef | Literal
    subject_names: tuple[str, ...]
    object_names: tuple[str, ...]


def _expand(curie: str | None) -> URIRef | None:
    return expand(curie) if curie else None


def gold_facts(record: Record) -> list[GoldFact]:
    """The record's relations as facts, one per distinct (head, property, child)."""
    facts: dict[tuple[str, str, str], GoldFact] = {}
    for rel in record.relations:
        head, child = record.spans[rel.head], record.spans[rel.child]
        fact = GoldFact(
            record.id,
            End(record.span_text(rel.head), _expand(head.iri)),
            rel.label,
            End(record.span_text(rel.child), _expand(child.iri), child.value),
            record.text[rel.sentence[0] : rel.sentence[1]],
        )
        facts.setdefault((fact.head.key(), rel.label, fact.child.key()), fact)
    return list(facts.values())


def found_facts(
    document: str, graph: Graph, names: dict[URIRef, list[str]], source: URIRef, relations: set[str]
) -> tuple[list[FoundFact], int]:
    """Asserted facts of one document graph; and how many had the document itself as an end."""
    found, about_source = [], 0
    for s, p, o in graph:
        relation = term_name(p) or ""
        if relation not in relations or not isinstance(s, URIRef):
            continue
        if source in (s, o):
            about_source += 1
            continue
        object_names = (str(o),) if isinstance(o, Literal) else tuple(names.get(o, [])) or (str(o),)  # type: ignore[arg-type]
        found.append(
            FoundFact(document, s, relation, o, tuple(names.get(s, [])) or (str(s),), object_names)  # type: ignore[arg-type]
        )
    return found, about_source


def labels(graphs: Iterable[Graph]) -> dict[URIRef, list[str]]:
    names: dict[URIRef, list[str]] = defaultdict(list)
    for graph in graphs:
        for predicate in (RDFS.label, SKOS.altLabel, SKOS.prefLabel):
            for s, o in graph.subject_objects(predicate):
                if isinstance(s, URIRef):
                    names[s].append(str(o))
    return names


def _end_matches(
    end: End, node: URIRef | Literal, node_names: tuple[str, ...], aliases: dict
) -> bool:
    if end.value is not None:
        return isinstance(node, Literal) and str(node).strip() == end.value
    if end.iri is not None:
        return node == end.iri
    return names_match(end.text, node_names, aliases)


def fact_matches(gold: GoldFact, found: FoundFact, aliases: dict) -> bool:
    return (
        gold.relation == found.relation
        and _end_matches(gold.head, found.subject, found.subject_names, aliases)
        and _end_matches(gold.child, found.object, found.object_names, aliases)
    )


@dataclass
class Scores:
    """Counts per relation: gold, found, gold facts found, found facts correct."""

    rows: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    misses: list[GoldFact] = field(default_factory=list)
    wrong: list[FoundFact] = field(default_factory=list)
    about_source: int = 0

    def add(self, gold: list[GoldFact], found: list[FoundFact], aliases: dict) -> None:
        for g in gold:
            hit = any(fact_matches(g, f, aliases) for f in found)
            row = self.rows[g.relation]
            row[0] += 1
            row[2] += hit
            if not hit:
                self.misses.append(g)
        for f in found:
            hit = any(fact_matches(g, f, aliases) for g in gold)
            row = self.rows[f.relation]
            row[1] += 1
            row[3] += hit
            if not hit:
                self.wrong.append(f)

    def table(self, relations: Iterable[str]) -> list[dict[str, object]]:
        out = []
        total = [0, 0, 0, 0]
        for relation in relations:
            row = self.rows.get(relation, [0, 0, 0, 0])
            total = [a + b for a, b in zip(total, row, strict=True)]
            out.append(_prf(relation, row))
        out.append(_prf("overall", total))
        return out


def _prf(name: str, row: list[int]) -> dict[str, object]:
    gold, found, recalled, correct = row
    p = correct / found if found else 0.0
    r = recalled / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"relation": name, "gold": gold, "found": found, "precision": p, "recall": r, "f1": f1}


@dataclass
class EntityScores:
    gold: int = 0
    found: int = 0
    same_offsets: int = 0
    same_type: int = 0
    links_gold: int = 0
    links_right: int = 0

    def add(
        self,
        record: Record,
        mentions: list[tuple[int, int, URIRef, tuple[str, ...]]],
        schema: Schema,
    ) -> None:
        spans = [s for s in record.spans if s.label != DATE_LABEL]
        self.gold += len(spans)
        self.found += len(mentions)
        by_offsets = {(m[0], m[1]): m for m in mentions}
        for span in spans:
            mention = by_offsets.get((span.start, span.end))
            if mention is not None:
                self.same_offsets += 1
                ups = schema.superclasses.get(span.label, frozenset())
                if any(
                    c in ups or span.label in schema.superclasses.get(c, frozenset())
                    for c in mention[3]
                ):
                    self.same_type += 1
            if span.iri:
                self.links_gold += 1
                overlapping = [m for m in mentions if m[0] < span.end and span.start < m[1]]
                if any(m[2] == _expand(span.iri) for m in overlapping):
                    self.links_right += 1

    def table(self) -> dict[str, float]:
        def f1(hits: int) -> tuple[float, float, float]:
            p = hits / self.found if self.found else 0.0
            r = hits / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        spans, types = f1(self.same_offsets), f1(self.same_type)
        return {
            "span_precision": spans[0],
            "span_recall": spans[1],
            "span_f1": spans[2],
            "type_f1": types[2],
            "link_accuracy": self.links_right / self.links_gold if self.links_gold else 0.0,
            "gold_spans": self.gold,
            "found_mentions": self.found,
            "gold_links": self.links_gold,
        }


@dataclass(frozen=True)
class ScoredFact:
    """A fact one extractor proposed (asserted or for review), its best confidence, and whether
    it matches a gold fact of its document."""

    document: str
    relation: str
    extractor: str
    confidence: float
    correct: bool
    triple: str = ""
    known_ends: int = 0  # ends that are curated individuals or a literal (a date)


def reliability(facts: Iterable[ScoredFact], width: float = 0.1) -> list[dict[str, object]]:
    """Of the facts scored in each confidence bin, how many are right."""
    bins: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for fact in facts:
        k = min(int(fact.confidence / width), round(1 / width) - 1)
        bins[k][0] += 1
        bins[k][1] += fact.correct
    return [
        {
            "bin": f"{k * width:.1f}-{(k + 1) * width:.1f}",
            "facts": n,
            "correct": right,
            "precision": round(right / n, 2) if n else 0.0,
        }
        for k, (n, right) in sorted(bins.items())
    ]


def threshold_sweep(
    facts: list[ScoredFact], gold_total: int, thresholds: Iterable[float]
) -> list[dict[str, float]]:
    """Precision, recall and F1 of the facts kept at each confidence threshold.

    A triple proposed by several extractors counts once, at its highest confidence. Recall is
    correct facts over gold facts (capped at 1: two found facts may match one gold fact).
    """
    merged: dict[tuple[str, str], ScoredFact] = {}
    for fact in facts:
        key = (fact.document, fact.triple)
        if key not in merged or fact.confidence > merged[key].confidence:
            merged[key] = fact
    rows = []
    for t in thresholds:
        kept = [f for f in merged.values() if f.confidence >= t]
        right = sum(f.correct for f in kept)
        p = right / len(kept) if kept else 0.0
        r = min(right / gold_total, 1.0) if gold_total else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"threshold": t, "kept": len(kept), "precision": p, "recall": r, "f1": f1})
    return rows
