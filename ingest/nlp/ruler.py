"""Entity ruler: the ontology's names, demonyms and generic space phrases as `doc.ents`.

Runs after the statistical "ner". The small model misses weapon systems and satellites
("Kosmos 1408" comes out as PERSON + CARDINAL), so names generated from the curated labels
override the model where they overlap, except when the model found a longer name around them
("Ministry of Foreign Affairs of Chile" keeps its "Chile" inside). Each span carries the
individual's IRI as `ent_id`; generic phrases ("satellites", "ground stations") carry the skg
class to mint an individual of, and the linker turns both into entities.

Patterns are data: curated names come from `labels_index()` (the ontology), the rest from the
component's pattern files (`pattern_files`: sources in `ingest/nlp/patterns/`, a copy saved in
the pipeline by `to_disk`). Matchers are built once per component, never per document.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ingest.config import ID_NS, ONTOLOGY_NS
from ingest.errors import OntologyError
from ingest.iri import mint
from ingest.ontology import labels_index

from .pattern_files import PatternFiles, source_files
from .spelling import respellings
from .title_case import ARTICLES

GENERIC_FILE = "generic.jsonl"
DEMONYMS_FILE = "demonyms.csv"
RULER_FILES = (DEMONYMS_FILE, GENERIC_FILE)

# spaCy label of a curated individual, by the kind segment of its IRI.
KIND_LABELS = {
    "actor": "ACTOR",
    "asset": "ASSET",
    "capability": "CAPABILITY",
    "event": "EVENT",
    "document": "DOCUMENT",
    "concept": "CONCEPT",
    "place": "PLACE",
}
RULER_LABELS = frozenset(KIND_LABELS.values())
# Model labels a curated or generic match always replaces: numbers inside names ("Kosmos 1408").
WEAK_MODEL_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})
# Model labels of names that may end in "of" before a state ("Embassy of" + "Chile").
NAME_MODEL_LABELS = frozenset({"ORG", "FAC"})
# Tokens a model entity may have around a curated name and still be that name ("the Russia's").
TRIM_POS = frozenset({"DET", "PART", "PUNCT"})

# Case policies: "exact" for acronyms ("US" is not "us"), "capitalised" for proper names
# ("the Alliance" is not "an alliance"), "any" for lower-case terms ("jamming").
EXACT, CAPITALISED, ANY = "exact", "capitalised", "any"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class NamePattern:
    """One surface form of a curated individual (or a demonym) for the phrase matcher."""

    iri: str
    label: str  # spaCy label: ACTOR, ASSET, ...
    text: str
    policy: str


@dataclass(frozen=True)
class GenericPattern:
    """A token pattern for a phrase that is not an individual's name.

    `target` is a curated individual's IRI ("anti-satellite weapons" -> skgid:capability/asat)
    or an skg class IRI, meaning "mint an individual of this class from the text".
    """

    label: str
    target: str
    pattern: tuple[dict[str, object], ...]


@dataclass(frozen=True)
class Demonym:
    """A word standing for a state ("Russian", "Moscow"); `place` is its meaning after "in"."""

    surface: str
    state: str
    place: str | None


def case_policy(name: str) -> str:
    """How strictly a name's case must match: acronyms exactly, proper names capitalised."""
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return EXACT
    if any(c.isupper() for c in letters):
        return CAPITALISED
    return ANY


def name_variants(name: str) -> list[str]:
    """Spellings of one name that texts use: hyphen/space/joined and both apostrophes.

    "counter-space" -> "counter space", "counterspace"; "Kosmos 1408" -> "Kosmos-1408".
    """
    base = _SPACE.sub(" ", name).strip()
    found = {base}
    for text in list(found):
        found.add(text.replace("’", "'"))
        found.add(text.replace("'", "’"))
    for text in list(found):
        if "-" in text:
            found.add(text.replace("-", " "))
            found.add(text.replace("-", ""))
    words = base.split(" ")
    if len(words) == 2 and "-" not in base:
        found.add("-".join(words))
    if not any(c.isupper() for c in base):  # a term, not a name: "responsible behaviour"
        for text in list(found):
            found |= respellings(text)
    return sorted(v for v in found if v)


def default_files() -> PatternFiles:
    """The ruler's pattern files as edited in ingest/nlp/patterns/ (outside a pipeline)."""
    return source_files(RULER_FILES)


@lru_cache(maxsize=8)
def demonyms(files: PatternFiles) -> tuple[Demonym, ...]:
    """The demonym and metonym table (demonyms.csv)."""
    rows: list[Demonym] = []
    lines = files.lines(DEMONYMS_FILE)
    for number, row in enumerate(csv.reader(lines), start=1):
        if len(row) != 3 or not row[0].strip() or not row[1].strip():
            raise OntologyError(
                f"row {number} is not 'surface,state,place'",
                files.where(DEMONYMS_FILE),
                "fix the row",
            )
        surface, state, place = (cell.strip() for cell in row)
        rows.append(Demonym(surface, state, place or None))
    return tuple(rows)


# Generic words that do not make an event name specific ("Russian ASAT test").
_GENERIC_EVENT_WORDS = frozenset({"asat", "asats", "da-asat", "da-asats"})


def is_generic_event_name(name: str, files: PatternFiles) -> bool:
    """True for event names any later event could share: "Russian ASAT test",
    "India's anti-satellite missile test". Only demonyms, possessive states and lower-case
    words, no date and no other name: linking them would tie a new test to an old one.
    """
    adjectives = {d.surface.casefold() for d in demonyms(files)}
    for word in name.replace("’", "'").split():
        bare = word.casefold()
        if bare.endswith("'s"):
            continue  # "Russia's": the actor, named apart by the ruler
        generic = bare in adjectives or bare in _GENERIC_EVENT_WORDS or word == word.lower()
        if generic and not any(c.isdigit() for c in word):
            continue
        return False
    return True


def state_iri(state: str) -> str:
    """The curated state named `state`, or the IRI a new state of that name is minted with."""
    wanted = state.casefold()
    for entry in labels_index():
        if entry.kind == "actor" and wanted in (n.casefold() for n in entry.names):
            return str(entry.iri)
    return str(mint("actor", state))


@lru_cache(maxsize=8)
def curated_patterns(files: PatternFiles) -> tuple[NamePattern, ...]:
    """Every name variant of every curated individual, plus the demonyms, in a stable order.

    A lower-cased spelling claimed by two different individuals is left out: a miss is better
    than a wrong link.
    """
    candidates: list[NamePattern] = []
    for entry in labels_index():
        label = KIND_LABELS.get(entry.kind)
        if label is None:
            continue
        for name in entry.names:
            if entry.kind == "event" and is_generic_event_name(name, files):
                continue
            for variant in name_variants(name):
                candidates.append(NamePattern(str(entry.iri), label, variant, case_policy(name)))
    curated_texts = {p.text.casefold() for p in candidates}
    for demonym in demonyms(files):
        if demonym.surface.casefold() in curated_texts:
            continue  # a curated name ("London" the place) wins; the linker reads the context
        iri = state_iri(demonym.state)
        for variant in name_variants(demonym.surface):
            candidates.append(NamePattern(iri, "ACTOR", variant, CAPITALISED))
    owners: dict[str, set[str]] = {}
    for pattern in candidates:
        owners.setdefault(pattern.text.casefold(), set()).add(pattern.iri)
    unique = {p for p in candidates if len(owners[p.text.casefold()]) == 1}
    return tuple(sorted(unique, key=lambda p: (p.iri, p.text, p.policy)))


def _expand(target: str, where: str) -> str:
    if target.startswith("skgid:"):
        iri = ID_NS + target[len("skgid:") :]
        if iri not in {str(e.iri) for e in labels_index()}:
            raise OntologyError(f"{target} is not a curated individual", where, "fix the id")
        return iri
    if target.startswith("skg:"):
        return ONTOLOGY_NS + target[len("skg:") :]
    raise OntologyError(f"id {target!r} must start with skgid: or skg:", where, "fix the id")


@lru_cache(maxsize=8)
def generic_patterns(files: PatternFiles) -> tuple[GenericPattern, ...]:
    """The generic phrase patterns (generic.jsonl), ids expanded to IRIs."""
    found: list[GenericPattern] = []
    for number, line in enumerate(files.text(GENERIC_FILE).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{files.where(GENERIC_FILE)}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise OntologyError(f"not JSON: {exc.msg}", where, "fix the line") from exc
        if "pattern" not in row:
            continue  # a comment line
        if row.get("label") not in RULER_LABELS:
            raise OntologyError(f"unknown label {row.get('label')!r}", where, "use a ruler label")
        target = _expand(str(row.get("id", "")), where)
        found.append(GenericPattern(row["label"], target, tuple(row["pattern"])))
    return tuple(found)


def _name_length(span: Span) -> int:
    """Tokens of the name itself: "the UN" is a one-word name after an article."""
    return len(span) - (span[0].lower_ in ARTICLES)


def longest_names(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping matches, the longest name first: of "the UN" and "UN Charter" in "the
    UN Charter" the Charter wins, since the article in "the UN" is no word of the name."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (_name_length(s), len(s), -s.start), reverse=True):
        if taken.isdisjoint(range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _contains(outer: Span, inner: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


class SpacekgRuler:
    """Finds curated names and generic phrases and merges them with the model's entities."""

    def __init__(
        self, nlp: Language, name: str = "spacekg_ruler", files: PatternFiles | None = None
    ) -> None:
        self.name = name
        self._nlp = nlp
        self._build(files or default_files())

    def _build(self, files: PatternFiles) -> None:
        nlp = self._nlp
        self.files = files
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab)
        # key -> (iri, spaCy label, policy); exact forms are compared without whitespace.
        self._keys: dict[int, tuple[str, str, str]] = {}
        self._exact_forms: dict[str, set[str]] = {}
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for pattern in curated_patterns(files):
            grouped.setdefault((pattern.iri, pattern.label, pattern.policy), []).append(
                pattern.text
            )
            if pattern.policy == EXACT:
                self._exact_forms.setdefault(pattern.iri, set()).add("".join(pattern.text.split()))
        for number, (key, texts) in enumerate(sorted(grouped.items())):
            match_key = nlp.vocab.strings.add(f"spacekg-name-{number}")
            self._keys[match_key] = key
            self.phrase_matcher.add(f"spacekg-name-{number}", [nlp.make_doc(t) for t in texts])
        self._place_like = {
            str(e.iri)
            for e in labels_index()
            if any(str(c).endswith(("#State", "#Place")) for c in e.classes)
        }
        self._generic: dict[int, GenericPattern] = {}
        for number, generic in enumerate(generic_patterns(files)):
            match_key = nlp.vocab.strings.add(f"spacekg-generic-{number}")
            self._generic[match_key] = generic
            self.matcher.add(f"spacekg-generic-{number}", [list(generic.pattern)])

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.predict(doc))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the pattern files this ruler runs on (curated names stay in the ontology)."""
        self.files.write(Path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SpacekgRuler:
        """Run on the pattern files saved in the pipeline folder."""
        files = PatternFiles.read(Path(path), RULER_FILES)
        if files != self.files:
            self._build(files)
        self.files = files
        return self

    def _accept(self, span: Span, iri: str, policy: str) -> bool:
        if policy == ANY:
            return True
        if policy == CAPITALISED:
            return any(c.isupper() for c in span.text)
        return "".join(span.text.split()) in self._exact_forms.get(iri, ())

    def curated_spans(self, doc: Doc) -> list[Span]:
        """Non-overlapping curated-name matches (longest first), case policies applied."""
        spans = []
        for match_key, start, end in self.phrase_matcher(doc):
            iri, label, policy = self._keys[match_key]
            span = Span(doc, start, end, label=label, span_id=iri)
            if self._accept(span, iri, policy):
                spans.append(span)
        return longest_names(spans)

    def generic_spans(self, doc: Doc) -> list[Span]:
        """Every generic-phrase match, longest first: shorter ones are fallbacks ("GPS
        satellites" loses to the curated "GPS", "satellites" still counts)."""
        spans = []
        for match_key, start, end in self.matcher(doc):
            generic = self._generic[match_key]
            spans.append(Span(doc, start, end, label=generic.label, span_id=generic.target))
        return sorted(spans, key=lambda s: (-len(s), s.start))

    def predict(self, doc: Doc) -> list[Span]:
        """The merged entity spans: curated over model over generic, by the rules above."""
        curated = self.curated_spans(doc)
        # Token -> span maps instead of comparing every span with every span: linear in the
        # Doc (curated spans do not overlap each other; neither do the merged ones).
        curated_at = {i: c for c in curated for i in range(c.start, c.end)}
        model_kept: list[Span] = []
        dropped: set[tuple[int, int]] = set()
        for ent in doc.ents:
            inside = list(
                {
                    id(c): c
                    for i in range(ent.start, ent.end)
                    if (c := curated_at.get(i)) is not None
                }.values()
            )
            if not inside:
                model_kept.append(ent)
                continue
            if ent.label_ in WEAK_MODEL_LABELS or not all(_contains(ent, c) for c in inside):
                continue  # the model's boundaries are wrong: the curated name wins
            extras = [t for t in ent if t.i not in curated_at]
            root_inside = ent.root.i in curated_at
            if root_inside or all(t.pos_ in TRIM_POS or t.lower_ == "the" for t in extras):
                continue
            # A longer name around a curated one: "UK Space Agency" is not "UK".
            model_kept.append(ent)
            dropped.update((c.start, c.end) for c in inside)
        merged = [c for c in curated if (c.start, c.end) not in dropped] + model_kept
        at: dict[int, Span] = {i: e for e in merged for i in range(e.start, e.end)}
        taken: set[int] = set()
        for generic in self.generic_spans(doc):
            tokens = range(generic.start, generic.end)
            if any(i in taken for i in tokens):
                continue
            clashes = list({id(e): e for i in tokens if (e := at.get(i)) is not None}.values())
            if all(
                e.label_ not in RULER_LABELS
                and (e.label_ in WEAK_MODEL_LABELS or _contains(generic, e))
                for e in clashes
            ):
                for e in clashes:
                    for i in range(e.start, e.end):
                        del at[i]
                for i in tokens:
                    at[i] = generic
                taken.update(tokens)
        merged = list({id(e): e for e in sorted(at.values(), key=lambda s: s.start)}.values())
        return self._join_of_names(doc, sorted(filter_spans(merged), key=lambda s: s.start))

    def _join_of_names(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """'Ministry of Foreign Affairs of' + 'Chile' -> one name: the model stopped too early."""
        joined: list[Span] = []
        for span in spans:
            previous = joined[-1] if joined else None
            if (
                previous is not None
                and previous.end == span.start
                and previous.label_ in NAME_MODEL_LABELS
                and doc[previous.end - 1].lower_ in {"of", "for"}
                and (span.label_ == "GPE" or span.id_ in self._place_like)
            ):
                joined[-1] = Span(doc, previous.start, span.end, label=previous.label)
                continue
            joined.append(span)
        return joined

    def set_annotations(self, doc: Doc, spans: Iterable[Span]) -> Doc:
        doc.ents = list(spans)
        return doc


@Language.factory(
    "spacekg_ruler_v1",
    requires=["doc.ents", "token.lemma", "token.pos"],
    assigns=["doc.ents"],
)
def make_ruler(nlp: Language, name: str) -> SpacekgRuler:
    """Factory of the ontology-driven entity ruler (placed after "ner"); spaCy forbids "." in factory names."""
    return SpacekgRuler(nlp, name)
