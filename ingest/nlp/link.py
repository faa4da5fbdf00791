"""Entity linker: every `doc.ents` span -> a curated individual or a newly minted one.

Curated individuals are found by a normalised-name index built once from `labels_index()`
(`link_tables`, with the linker's other tables)
(case, accents, "the", possessives, hyphens and punctuation do not matter; short acronyms must
match exactly), then by the demonym table ("Russian", "Moscow" -> Russia). What the model
found and nothing curated names becomes a new individual, minted with `iri.mint` from a cleaned
label, so the same name in two documents gets the same IRI. Dates and numbers stay in
`doc.ents` with no IRI: the relation extractor reads the DATE entities.

Scores say how sure the link is and feed the facts' confidence: exact label 0.95, alternative
label 0.9, normalised variant 0.85, generic phrase 0.8, demonym or metonym 0.75, minted 0.7.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path

from rdflib import URIRef
from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.config import ONTOLOGY_NS
from ingest.extraction import Entity, register_extensions
from ingest.iri import KIND_OF_TOP_CLASS, kind_of, local_part, mint, term_name
from ingest.ontology import LabelEntry, ontology_graph

from .fit import document_heads, name_head, singular
from .layout import is_layout
from .link_tables import (
    LINKER_FILES,
    POSSESSIVE,
    SCORE_ALT,
    SCORE_LABEL,
    StateWord,
    class_closure,
    company_names,
    curated_entries,
    default_files,
    joined_key,
    known_states,
    name_index,
    normalise,
    not_entities,
    org_kinds,
    organisation_class,
    skg,
    state_words,
)
from .modifiers import (
    describes_another,
    modifies_a_noun,
    only_adjectives,
    place_modifies_a_noun,
)
from .name_spans import SERIAL_NAME, names_in, serial_name
from .pattern_files import PatternFiles
from .ruler import KIND_LABELS, RULER_LABELS
from .title_case import ARTICLES, cut_run_ons

SCORE_VARIANT = 0.85
SCORE_GENERIC = 0.8
SCORE_DEMONYM = 0.75
SCORE_MINTED = 0.7

# Model labels that are values, not things: kept in doc.ents without an IRI.
VALUE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# Prepositions after which a capital names the place, not the state ("talks in Moscow").
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "around", "across", "inside"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "compound"})
# Product names that are space assets: "Kosmos 2542", "Fengyun-1C", "GPS III".
_ASSET_WORDS = re.compile(
    r"sat\b|satellite|constellation|kosmos|cosmos|fengyun|glonass|beidou|galileo|gps|"
    r"starlink|iridium|oneweb|yaogan|shijian|station|-\d|\d[a-z]?$",
    re.IGNORECASE,
)
# Addresses, file names, markup, and the copyright sign of a copyright line ("© Crown").
_JUNK_TEXT = re.compile(r"https?:|www\.|\.(jpe?g|png|gif|svg|pdf|html?)\b|[@#|<>{}\[\]=_*©]")
_QUOTES = "\"'“”‘’«»"
# Texts run together, no name: a quotation mark between two letters ('March"The U.S. Space
# Force', a quoted title glued to the word before it) or an ISO date inside (a caption's or an
# image's label, "Vostochny 2016-04-28 011"); a name holds neither.
_RUN_TOGETHER = re.compile(r"[^\W\d_][\"“”«»][^\W\d_]|\b\d{4}-\d{2}-\d{2}\b")
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof|Sir|Dame)\.?\s+")
# Words of degree subjects and titles the model takes for places or organisations
# ("International Law of Armed Conflict" as GPE, "Security and Defence" as ORG).
SUBJECT_WORDS = frozenset(
    {
        "law",
        "relations",
        "studies",
        "affairs",
        "conflict",
        "science",
        "sciences",
        "security",
        "defence",
        "defense",
        "policy",
        "diplomacy",
        "journalism",
        "engineering",
        "economics",
    }
)
SYSTEM_NOUNS = frozenset(
    {"system", "missile", "satellite", "weapon", "programme", "program", "rocket", "interceptor"}
)
FUNCTION_WORDS = frozenset({"and", "of", "the", "for", "in", "&"})


@dataclass(frozen=True, slots=True)
class Link:
    """The outcome of linking one span."""

    iri: URIRef
    label: str
    classes: tuple[URIRef, ...]
    curated: bool
    score: float


def _organisation_named(label: str, files: PatternFiles) -> Link | None:
    """An organisation's name minted as what it names: a document when headed by the head of
    a Document class label ("National Space Strategy", which both models read as organisations),
    nothing when that noun is plural (several documents, "National and Defence Space
    Strategies"), a place ("Palais des Nations"), else an actor of its kind."""
    head, documents = name_head(label), document_heads()
    if head in documents:
        return _minted("document", label, documents[head])
    if singular(head) in documents:
        return None
    cls = organisation_class(label, files)
    return _minted("place" if cls == skg("Place") else "actor", label, cls)


def clean_label(span: Span) -> str:
    """Canonical label of a minted entity: the surface without quotes, "the" or possessive."""
    text = " ".join(span.text.split()).strip(_QUOTES + " ,;:")
    text = POSSESSIVE.sub("", text).strip()
    if text[:4].casefold() == "the ":
        text = text[4:]
    if span.label_ == "PERSON":
        text = _HONORIFIC.sub("", text)
    if text and text == text.lower():
        keep = span.label_ in RULER_LABELS or ontology_label_kind(span.label_) is not None
        text = text if keep else text.title()
    return text


def generic_label(span: Span) -> str:
    """Label of a generic phrase: the head noun singular ("ground stations" -> "ground station")."""
    parts = []
    for token in span:
        word = token.text if token.pos_ == "PROPN" or token.is_upper else token.lower_
        if token.i == span.end - 1 and token.pos_ == "NOUN":
            word = token.lemma_.lower()
        parts.append(word + token.whitespace_)
    return "".join(parts).strip()


def trim(span: Span) -> Span | None:
    """The span without a leading article or trailing possessive and punctuation; None when
    it ends in an article, a phrase the model cut in two ("orbit around the")."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ARTICLES or doc[start].is_punct):
        start += 1
    while end > start and (
        doc[end - 1].tag_ == "POS"
        or doc[end - 1].lower_ in {"'s", "’s"}
        or doc[end - 1].pos_ in {"CCONJ", "ADP"}
        or (doc[end - 1].is_punct and doc[end - 1].text not in {".", ")"})
    ):
        end -= 1
    if start >= end or doc[end - 1].lower_ in ARTICLES:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label, span_id=span.id)


def is_junk(span: Span, files: PatternFiles) -> bool:
    """Spans the model mislabels: single characters, numbers, stop words, common nouns, markup."""
    text = span.text.strip()
    if len(text) <= 1 or not any(c.isalpha() for c in text):
        return True
    if _JUNK_TEXT.search(text) or "\n\n" in span.text:
        return True
    if all(t.is_stop or t.is_punct for t in span):
        return True
    if span.label_ in RULER_LABELS:
        return False
    if normalise(text) in not_entities(files):
        return True
    if ontology_label_kind(span.label_) is not None:
        # The trained NER's classes: a generic mention ("the satellites") is a thing too.
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) <= 2 and not text.isupper():
        return True  # "Ro" from a cut line; two-letter names are acronyms ("EU", "UN")
    if not any(t.pos_ == "PROPN" for t in span):
        # "space" tagged ORG, "Chairperson" at the start of a sentence: no proper noun, no name.
        return True
    words = {t.lower_ for t in span if t.is_alpha}
    return bool(words & SUBJECT_WORDS) and words <= SUBJECT_WORDS | FUNCTION_WORDS


def _curated_link(entry: LabelEntry, score: float) -> Link:
    return Link(entry.iri, entry.label, entry.classes, True, score)


def _minted(kind: str, label: str, cls: URIRef) -> Link:
    iri = mint(kind, label)
    entry = curated_entries().get(iri)
    if entry is not None:  # the minted slug is a curated individual's own IRI
        return _curated_link(entry, SCORE_VARIANT)
    return Link(iri, label, class_closure(cls), False, SCORE_MINTED)


def names_one(span: Span) -> bool:
    """A proper noun or a number names one thing ("the 2007 test", "Resolution 75/36"); a
    common noun ("the test", "the satellite") only a thing this document speaks of."""
    return any(t.pos_ == "PROPN" or t.like_num for t in span)


def _minted_here(kind: str, label: str, cls: URIRef, doc: Doc) -> Link:
    """An individual of this document only, labelled without the document's key."""
    return replace(_minted(kind, f"{label} {document_key(doc)}", cls), label=label)


def lookup(text: str, files: PatternFiles) -> tuple[URIRef, float] | None:
    """A curated individual named `text` (any spelling), with the score of that spelling."""
    index = name_index(files)
    exact = index.exact.get("".join(POSSESSIVE.sub("", text.strip()).split()))
    if exact is not None:
        return exact
    key = normalise(text)
    if not key:
        return None
    found = index.by_key.get(key) or index.by_joined.get(joined_key(key))
    if found is None:
        return None
    iri, score = found
    entry = index.entries[iri]
    stripped = " ".join(text.split())
    if stripped == entry.label:
        return iri, SCORE_LABEL
    if stripped.casefold() in {n.casefold() for n in entry.names}:
        return iri, SCORE_ALT
    return iri, min(score, SCORE_VARIANT)


def _place_link(name: str, files: PatternFiles) -> Link:
    found = lookup(name, files)
    if found is not None:
        entry = curated_entries()[found[0]]
        if entry.kind == "place":
            return _curated_link(entry, SCORE_DEMONYM)
    return _minted("place", name, skg("Place"))


def _state_link(word: StateWord) -> Link:
    entry = curated_entries().get(word.state)
    if entry is not None:
        return _curated_link(entry, SCORE_DEMONYM)
    return Link(word.state, word.state_label, class_closure(skg("State")), False, SCORE_DEMONYM)


def _context(span: Span) -> str:
    """'place' after a locative preposition, 'actor' as a subject or possessor, else ''."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS:
        return "place"
    if root.dep_ in SUBJECT_DEPS or (root.dep_ == "pobj" and root.head.dep_ == "agent"):
        return "actor"
    return ""


def _state_word_link(span: Span, word: StateWord, files: PatternFiles) -> Link:
    """A demonym or capital: the state, or the place when the context says so."""
    context = _context(span)
    if word.place and (context == "place" or (not word.is_state_name and context != "actor")):
        return _place_link(word.place, files)
    return _state_link(word)


def document_key(doc: Doc) -> str:
    """A short stable key of the document: its id when ingested, else a hash of its whole text
    (set on each chunk's Doc by `nlp.extract`), else of this Doc's text."""
    if doc.has_extension("doc_iri") and doc._.doc_iri:
        return local_part(doc._.doc_iri)[:8]
    if doc.has_extension("doc_key") and doc._.doc_key:
        return doc._.doc_key
    return text_key(doc.text)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@lru_cache(maxsize=256)
def ontology_label_kind(label: str) -> str | None:
    """The IRI kind of a span labelled with an ontology class (the trained NER), else None."""
    if not label[:1].isupper() or label.isupper():
        return None  # spaCy's own labels are upper case ("ORG", "GPE")
    cls = skg(label)
    if (cls, None, None) not in ontology_graph():
        return None
    closure = {term_name(c) for c in class_closure(cls)}
    return next((kind for top, kind in KIND_OF_TOP_CLASS.items() if top in closure), None)


@lru_cache(maxsize=1)
def time_zone_abbreviations() -> frozenset[str]:
    """The abbreviations of the tz database's zones in winter and in summer ("UTC", "MSK",
    "PST", "CEST"), read from the zone data Python ships with, not from any text."""
    import datetime
    import zoneinfo

    found: set[str] = set()
    for key in zoneinfo.available_timezones():
        zone = zoneinfo.ZoneInfo(key)
        for month in (1, 7):
            name = datetime.datetime(2024, month, 15, tzinfo=zone).tzname()
            if name and name.isalpha():
                found.add(name)
    return frozenset(found)


_CLOCK = re.compile(r"^(?:\d{1,2}[:.h]\d{2}|\d{4}|[ap]\.?m\.?)$", re.IGNORECASE)


def is_time_zone(span: Span) -> bool:
    """The span is only a time zone's abbreviation after a clock time: "07:00 UTC", "1 p.m.
    PST" (the model reads "UTC" as an organisation)."""
    if span.start == 0 or span.text.strip() not in time_zone_abbreviations():
        return False
    return _CLOCK.match(span.doc[span.start - 1].text) is not None


def _mint_from_model(span: Span, label: str, files: PatternFiles) -> Link | None:
    kind = span.label_
    if is_layout(span):
        return None  # "TypeSpace force" (an infobox row), "Home / Newsroom / 2020"
    if is_time_zone(span):
        return None  # "(07:00 UTC)": a time's zone, no organisation
    if _RUN_TOGETHER.search(span.text):
        return None  # 'March"The U.S. Space Force', "Vostochny 2016-04-28 011"
    if (iri_kind := ontology_label_kind(kind)) is not None:
        if only_adjectives(span):
            return None  # "outer" of "outer space weapons": the model cut off the noun
        words = {t.lower_ for t in span if t.is_alpha}
        if (
            iri_kind in ("actor", "place")
            and words & SUBJECT_WORDS
            and words <= SUBJECT_WORDS | FUNCTION_WORDS
        ):
            return None  # "He studied Journalism": a subject, whatever class the model gave
        if iri_kind == "asset" and modifies_a_noun(span):
            return None  # "station operations": the operations' kind, no station
        if iri_kind == "actor" and kind == "Organization":
            return _organisation_named(label, files)
        if iri_kind == "event" and span.root.tag_ in ("NNS", "NNPS"):
            return None  # "dozens of tests", "the attacks": no one event
        if iri_kind == "event" and not names_one(span):
            # "the test", "the attack": one event of this document, not one shared by every
            # document that says "the test" (resolving it across documents is not done here).
            return _minted_here("event", label, skg(kind), span.doc)
        return _minted(iri_kind, label, skg(kind))
    if kind in ("ORG", "PERSON", "PRODUCT") and normalise(label) in company_names(files):
        return _minted("actor", label, skg("Company"))
    if kind in ("ORG", "PERSON", "PRODUCT") and SERIAL_NAME.match(label):
        return _minted("asset", label, skg("Satellite"))  # "Kosmos 2542", "Yaogan-30"
    if kind == "PERSON":
        if len(span) == 1 and not span[0].is_title:
            return None
        if span.root.dep_ == "compound" and span.root.head.lemma_ in SYSTEM_NOUNS:
            return None  # "the Nudol system": a weapon's name the model took for a person
        return _minted("actor", label, skg("Person"))
    if kind == "ORG":
        return _organisation_named(label, files)
    if kind in ("GPE", "LOC", "FAC") and {t.lower_ for t in span} & SUBJECT_WORDS:
        return None  # "International Law of Armed Conflict": a degree, not a place
    if kind == "GPE":
        if normalise(label) in known_states(files):
            return _minted("actor", label, skg("State"))
        return _minted("place", label, skg("Place"))
    if kind in ("LOC", "FAC"):
        return _minted("place", label, skg("Place"))
    if kind == "PRODUCT":
        if not _ASSET_WORDS.search(label):
            return None
        lowered = label.casefold()
        if "constellation" in lowered:
            cls = "Constellation"
        elif "station" in lowered:
            cls = "SpaceStation"
        elif "network" in lowered:
            cls = "SatelliteNetwork"
        else:
            cls = "Satellite"
        return _minted("asset", label, skg(cls))
    if kind in ("LAW", "WORK_OF_ART"):
        return _minted("document", label, skg("Document"))
    if kind == "EVENT":
        return _minted("event", label, skg("Event"))
    return None  # NORP not in the demonym table, LANGUAGE: not things the graph describes


def link_span(span: Span, files: PatternFiles) -> Link | None:
    """Link one (trimmed) entity span, or None to drop it."""
    index = name_index(files)
    text = span.text
    hint = span.id_
    word = state_words(files).get(normalise(text))
    if hint and hint.startswith(ONTOLOGY_NS):  # a generic phrase: mint an individual of a class
        named = serial_name(span)  # "the Noor-2 satellite" is Noor-2
        if named is not None:
            found = lookup(named, files)
            if found is not None:
                return _curated_link(index.entries[found[0]], found[1])
            return _minted("asset", named, URIRef(hint))
        if modifies_a_noun(span) or describes_another(span):
            return None  # "satellite inspection activities", "Noor-1 is a satellite": kinds
        label = generic_label(span)
        if not label:
            return None
        if names_one(span):
            return replace(_minted("asset", label, URIRef(hint)), score=SCORE_GENERIC)
        return replace(_minted_here("asset", label, URIRef(hint), span.doc), score=SCORE_GENERIC)
    if hint and URIRef(hint) in index.entries:
        entry = index.entries[URIRef(hint)]
        if word is not None and word.state == entry.iri:
            return _state_word_link(span, word, files)
        if entry.kind == "place" and word is not None and _context(span) == "actor":
            return _state_link(word)  # "London warned ...": the state, not the city
        found = lookup(text, files)
        if found is not None and found[0] == entry.iri:
            return _curated_link(entry, found[1])
        return _curated_link(entry, SCORE_GENERIC)
    if word is not None:
        return _state_word_link(span, word, files)
    found = lookup(text, files)
    if found is not None:
        return _curated_link(index.entries[found[0]], found[1])
    label = clean_label(span)
    if not label or len(label) <= 1 or heads_a_cut_name(span):
        return None
    link = _mint_from_model(span, label, files)
    if (
        link is not None
        and kind_of(link.iri) == "place"
        and not link.curated
        and place_modifies_a_noun(span, SYSTEM_NOUNS)
    ):
        return None  # "low Earth orbit": the orbit's name, no mention of the Earth
    return link


_NAME_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "PERSON"})  # spaCy's actors and places


def heads_a_cut_name(span: Span) -> bool:
    """An actor's or place's one word the model cut from the name it heads: "Secretary" of
    "the Secretary of Defense", "Ministry" of "Ministry of Defence". Alone it names nothing,
    and minted it would be one individual for every secretary or ministry."""
    doc, end = span.doc, span.end
    if len(span) != 1 or end + 1 >= len(doc) or doc[end].lower_ != "of":
        return False
    if ontology_label_kind(span.label_) not in ("actor", "place") and (
        span.label_ not in _NAME_LABELS
    ):
        return False  # "the launch of Sputnik": an event is named by what it is of
    after = doc[end + 2] if doc[end + 1].lower_ == "the" and end + 2 < len(doc) else doc[end + 1]
    return after.is_title or after.is_upper


def _initials(label: str, files: PatternFiles) -> tuple[str, ...]:
    """Initials of a name's capitalised words, with and without a company suffix."""
    suffixes = {word for mode, word, _ in org_kinds(files) if mode == "suffix"}
    words = [w for w in label.split() if w[:1].isupper()]
    found = ["".join(w[0] for w in words)]
    if words and words[-1].casefold() in suffixes:
        found.append("".join(w[0] for w in words[:-1]))
    return tuple(f.upper() for f in found if len(f) >= 2)


def _resolve_short_forms(
    kept: list[tuple[Span, Link | None]], files: PatternFiles
) -> list[tuple[Span, Link | None]]:
    """In one document, a minted person's surname is the full name ("Lagos" = "Hellmut
    Lagos"), and a minted acronym is the minted name it abbreviates ("EBI" = "Euro Broadband
    Infrastructure Sàrl"), when exactly one candidate fits."""
    minted = [link for _, link in kept if link is not None and not link.curated]
    people = [link for link in minted if skg("Person") in link.classes]
    by_surname: dict[str, set[URIRef]] = {}
    for link in people:
        words = link.label.split()
        if len(words) >= 2:
            by_surname.setdefault(words[-1].casefold(), set()).add(link.iri)
    by_initials: dict[str, set[URIRef]] = {}
    for link in minted:
        if skg("Person") not in link.classes and len(link.label.split()) >= 2:
            for initials in _initials(link.label, files):
                by_initials.setdefault(initials, set()).add(link.iri)
    full = {link.iri: link for link in minted}
    person_iris = {link.iri for link in people}
    resolved: list[tuple[Span, Link | None]] = []
    for span, link in kept:
        if link is not None and not link.curated and len(link.label.split()) == 1:
            if link.iri in person_iris:
                owners = by_surname.get(link.label.casefold(), set())
            elif link.label.isupper():
                owners = by_initials.get(link.label, set())
            else:
                owners = set()
            if len(owners) == 1:
                link = replace(full[next(iter(owners))], score=SCORE_MINTED)
        resolved.append((span, link))
    return resolved


def _is_author(text: str, files: PatternFiles) -> bool:
    """A curated actor by name ("EU", "U.S."), not a place or a capital standing for a state."""
    word = state_words(files).get(normalise(text))
    if word is not None:
        return word.is_state_name and word.place is None
    found = lookup(text, files)
    return found is not None and curated_entries()[found[0]].kind == "actor"


def _is_name(text: str, files: PatternFiles) -> bool:
    """A curated name or a demonym: the name of a known thing."""
    return state_words(files).get(normalise(text)) is not None or lookup(text, files) is not None


class SpacekgLinker:
    """Sets Span._.iri/canonical/classes/curated/link_score and fills doc._.entities."""

    def __init__(
        self, nlp: Language, name: str = "spacekg_linker", files: PatternFiles | None = None
    ) -> None:
        self.name = name
        register_extensions()
        self._use(files or default_files())

    def _use(self, files: PatternFiles) -> None:
        self.files = files
        state_words(files)  # build the indexes now, not on the first document

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.predict(doc))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the pattern files this linker runs on (curated names stay in the ontology)."""
        self.files.write(Path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SpacekgLinker:
        """Run on the pattern files saved in the pipeline folder."""
        self._use(PatternFiles.read(Path(path), LINKER_FILES))
        return self

    def predict(self, doc: Doc) -> list[tuple[Span, Link | None]]:
        """Pure: the spans to keep in doc.ents, each with its link (None for dates, numbers)."""
        kept: list[tuple[Span, Link | None]] = []
        is_name = partial(_is_name, files=self.files)
        is_author = partial(_is_author, files=self.files)
        names: list[Span] = []
        for ent in doc.ents:
            if ent.label_ in VALUE_LABELS:
                kept.append((ent, None))
            elif (trimmed := trim(ent)) is not None:
                names.extend(names_in(trimmed, is_name, is_author))
        is_curated = partial(lookup, files=self.files)
        kinds = frozenset(word for _, word, _ in org_kinds(self.files))
        for span in cut_run_ons(names, lambda text: is_curated(text) is not None, normalise, kinds):
            if not is_junk(span, self.files) and (link := link_span(span, self.files)):
                kept.append((span, link))
        return _resolve_short_forms(kept, self.files)

    def set_annotations(self, doc: Doc, links: list[tuple[Span, Link | None]]) -> Doc:
        spans = []
        for span, link in links:
            if link is not None:
                label = span.label_
                if label in RULER_LABELS:  # "Paris" the ACTOR may turn out to be a PLACE
                    kind = kind_of(link.iri)
                    label = KIND_LABELS.get(kind, label)
                if span.id_ != str(link.iri) or label != span.label_:
                    span = Span(doc, span.start, span.end, label=label, span_id=str(link.iri))
            spans.append(span)
        doc.ents = spans
        by_start = {span.start: link for span, link in links}
        entities: dict[str, Entity] = doc._.entities or {}
        for ent in doc.ents:
            link = by_start.get(ent.start)
            if link is None:
                continue
            ent._.iri = str(link.iri)
            ent._.canonical = link.label
            ent._.classes = tuple(str(c) for c in link.classes)
            ent._.curated = link.curated
            ent._.link_score = link.score
            key = str(link.iri)
            entity = entities.get(key)
            if entity is None:
                entity = Entity(link.iri, link.label, link.classes, link.curated)
            surface = " ".join(ent.text.split())
            known = {entity.label.casefold(), *(a.casefold() for a in entity.alt_labels)}
            if not link.curated and surface.casefold() not in known:
                entity = replace(entity, alt_labels=(*entity.alt_labels, surface))
            entities[key] = entity
        doc._.entities = entities
        return doc


@Language.factory(
    "spacekg_linker_v1",
    requires=["doc.ents"],
    assigns=["doc.ents", "span._.iri", "doc._.entities"],
)
def make_linker(nlp: Language, name: str) -> SpacekgLinker:
    """Factory of the linker (after the ruler); spaCy forbids "." in factory names."""
    return SpacekgLinker(nlp, name)
