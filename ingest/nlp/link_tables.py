"""The linker's tables: curated names by normalised key, and what its pattern files say.

Built once per file set and cached: the name index of the curated individuals (`labels_index`,
ambiguous keys left out, short acronyms exact), the demonym and capital table, the states,
companies and page-furniture words, and the kinds of organisation a name's words give
(org_kinds.csv), with the class closure a minted individual is typed with. `link` reads them
for every span.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import RDFS

from ingest.config import ONTOLOGY_NS
from ingest.errors import OntologyError
from ingest.iri import mint
from ingest.ontology import LabelEntry, labels_index, ontology_graph

from .pattern_files import PatternFiles, source_files
from .ruler import DEMONYMS_FILE, EXACT, case_policy, demonyms, is_generic_event_name

STATES_FILE = "states.txt"
COMPANIES_FILE = "companies.txt"
ORG_KINDS_FILE = "org_kinds.csv"
NOT_ENTITIES_FILE = "not_entities.txt"
LINKER_FILES = (COMPANIES_FILE, DEMONYMS_FILE, NOT_ENTITIES_FILE, ORG_KINDS_FILE, STATES_FILE)

SCORE_LABEL = 0.95
SCORE_ALT = 0.9

_NON_WORD = re.compile(r"[^\w]+")
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")  # a trailing possessive ("NATO's")


def normalise(text: str) -> str:
    """Lookup key of a name: casefolded ASCII words, no "the", no possessive, no punctuation."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = " ".join(text.encode("ascii", "ignore").decode("ascii").split()).casefold()
    if text.startswith("the "):
        text = text[4:]
    text = POSSESSIVE.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def joined_key(key: str) -> str:
    """A normalised key with its spaces removed ("space x" and "spacex" meet)."""
    return key.replace(" ", "")


def default_files() -> PatternFiles:
    """The linker's pattern files as edited in ingest/nlp/patterns/ (outside a pipeline)."""
    return source_files(LINKER_FILES)


@dataclass(frozen=True)
class NameIndex:
    """Curated names by normalised key, plus exact keys for short acronyms."""

    by_key: dict[str, tuple[URIRef, float]]
    by_joined: dict[str, tuple[URIRef, float]]
    exact: dict[str, tuple[URIRef, float]]
    entries: dict[URIRef, LabelEntry]


@lru_cache(maxsize=1)
def curated_entries() -> dict[URIRef, LabelEntry]:
    """The curated individuals by IRI."""
    return {entry.iri: entry for entry in labels_index()}


@lru_cache(maxsize=8)
def name_index(files: PatternFiles) -> NameIndex:
    """Built once per file set from labels_index(); ambiguous keys are left out."""
    entries = curated_entries()
    candidates: dict[str, dict[URIRef, float]] = {}
    joined: dict[str, dict[URIRef, float]] = {}
    exact: dict[str, tuple[URIRef, float]] = {}
    for entry in entries.values():
        for name in entry.names:
            if entry.kind == "event" and is_generic_event_name(name, files):
                continue
            score = SCORE_LABEL if name == entry.label else SCORE_ALT
            letters = [c for c in name if c.isalpha()]
            if case_policy(name) == EXACT and len(letters) <= 4:
                exact["".join(name.split())] = (entry.iri, score)
                continue
            key = normalise(name)
            if not key:
                continue
            candidates.setdefault(key, {})[entry.iri] = score
            joined.setdefault(joined_key(key), {})[entry.iri] = score

    def unique(table: dict[str, dict[URIRef, float]]) -> dict[str, tuple[URIRef, float]]:
        return {k: next(iter(v.items())) for k, v in table.items() if len(v) == 1}

    return NameIndex(unique(candidates), unique(joined), exact, entries)


@dataclass(frozen=True)
class StateWord:
    """A demonym or metonym resolved: the state, and the place it means after "in"."""

    state: URIRef
    state_label: str
    place: str | None
    is_state_name: bool  # a curated name of the state ("Moscow"), so "state" by default


@lru_cache(maxsize=8)
def state_words(files: PatternFiles) -> dict[str, StateWord]:
    """Demonym table keyed by normalised surface ("russians" -> Russia)."""
    index = name_index(files)
    table: dict[str, StateWord] = {}
    for row in demonyms(files):
        found = index.by_key.get(normalise(row.state))
        if found is not None:
            entry = index.entries[found[0]]
            iri, label = entry.iri, entry.label
            is_name = normalise(row.surface) in {normalise(n) for n in entry.names}
        else:
            iri, label, is_name = mint("actor", row.state), row.state, False
        table[normalise(row.surface)] = StateWord(iri, label, row.place, is_name)
    return table


@lru_cache(maxsize=8)
def known_states(files: PatternFiles) -> frozenset[str]:
    """Normalised names of states that are not curated (states.txt)."""
    return frozenset(normalise(line) for line in files.lines(STATES_FILE))


@lru_cache(maxsize=8)
def not_entities(files: PatternFiles) -> frozenset[str]:
    """Normalised page-furniture words that are never entities (not_entities.txt)."""
    return frozenset(normalise(line) for line in files.lines(NOT_ENTITIES_FILE))


@lru_cache(maxsize=8)
def company_names(files: PatternFiles) -> frozenset[str]:
    """Normalised names of companies the model tags ORG with no suffix (companies.txt)."""
    return frozenset(normalise(line) for line in files.lines(COMPANIES_FILE))


@lru_cache(maxsize=8)
def org_kinds(files: PatternFiles) -> tuple[tuple[str, str, URIRef], ...]:
    """(mode, word, class) rows of org_kinds.csv, in file order."""
    rows = []
    for number, row in enumerate(csv.reader(files.lines(ORG_KINDS_FILE)), start=1):
        if len(row) != 2 or ":" not in row[0]:
            raise OntologyError(
                f"row {number} is not 'suffix:word,Class' or 'word:word,Class'",
                files.where(ORG_KINDS_FILE),
                "fix the row",
            )
        mode, word = row[0].split(":", 1)
        rows.append((mode, word.casefold(), URIRef(ONTOLOGY_NS + row[1].strip())))
    return tuple(rows)


@lru_cache(maxsize=8)
def kind_words(files: PatternFiles) -> frozenset[str]:
    """The one-word kinds of organisation of org_kinds.csv ("department", "command"): a name
    that is only such a word names the kind, not one organisation ("the Department")."""
    return frozenset(
        word
        for mode, word, cls in org_kinds(files)
        if mode == "word" and " " not in word and skg("Organization") in class_closure(cls)
    )


@lru_cache(maxsize=64)
def class_closure(cls: URIRef) -> tuple[URIRef, ...]:
    """The class and its skg superclasses: what a minted individual is typed with."""
    graph = ontology_graph()
    found = {cls}
    for parent in graph.transitive_objects(cls, RDFS.subClassOf):
        if isinstance(parent, URIRef) and str(parent).startswith(ONTOLOGY_NS):
            found.add(parent)
    return tuple(sorted(found))


def skg(name: str) -> URIRef:
    return URIRef(ONTOLOGY_NS + name)


def organisation_class(name: str, files: PatternFiles) -> URIRef:
    """Company, agency, command or institute from the name's words; else Organization."""
    if normalise(name) in company_names(files):
        return skg("Company")
    words = name.casefold().split()
    text = " ".join(words)
    for mode, word, cls in org_kinds(files):
        if mode == "suffix" and words and words[-1] == word:
            return cls
        if mode == "word" and (word in words or (" " in word and word in text)):
            return cls
    return skg("Organization")
