"""Does a minted entity fit its class? The rules `resolve` drops minted entities by.

A minted Person is named with one to five capitalised words, not a name run into an upper-case
role (a byline's "Sheridan DEFENCE CORRESPONDENT"); a Document with a word of the ontology's
Document class labels or in title case ("start date" is not one).
A minted space asset or event named by a common noun ("satellite", "creation", a capitalised
"Launch" the text also writes in lower case) that takes part in no relation is a thing
mentioned in passing, not an individual: the annotation guide gives "satellites mentioned in
passing" and generic events no span; so is a bare one-word place ("space", "aspect").
A common noun is no name where the class needs one, even in a relation (the relation then has
no end and goes): an actor that is no group ("this country", "the government of North
Korea", "the team") is a reference, not a new individual; a space asset needs the head noun
of a SpaceAsset class label ("satellite", not "its own deadlines"); an event needs an event
noun of the rules ("launch", "test", not "creation" or "aim") and an actor or a date, and a
one-word event of any case is its type or nothing ("19 November 2021 News"); a one-word
person the text also writes in lower case is a role ("Mr. Coordinator", "the coordinator").
A capital counts as a name where the text writes it inside a sentence ("the Centre", "the
Earth"); at a sentence or line start only when the text never writes the word in lower case.
A common-noun asset or event that is kept is a short reference: only its mentions in a
sentence where it takes part in a relation are kept, as the guide gives such references spans.

The functions read an Extraction whose short forms are already merged (`resolve`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rdflib import RDFS, URIRef

from ingest.extraction import Entity, Extraction, Mention
from ingest.vocab import SKG

FUNCTION_WORDS = frozenset({"of", "for", "and", "the", "on", "in", "de", "&"})
_NAME_PARTICLES = frozenset(
    {"de", "da", "di", "du", "del", "der", "van", "von", "bin", "al", "le", "la", "y", "ibn"}
)
_PERSON_WORDS = 5


def words_of(label: str) -> list[str]:
    return [w for w in re.split(r"[\s-]+", label) if w]


_POSTMODIFIER = frozenset({"of", "on", "for"})


def postmodifier_at(folded: Sequence[str]) -> int | None:
    """Where the first "of", "on" or "for" after a name's first word stands, if anywhere."""
    return next((i for i, w in enumerate(folded) if i and w in _POSTMODIFIER), None)


def name_head(label: str) -> str:
    """The word a name is headed by, folded: the one before its first "of", "on" or "for",
    else its last ("Ministry" of "Ministry of Foreign Affairs", "Strategies")."""
    folded = [w.casefold() for w in words_of(label)]
    if not folded:
        return ""
    cut = postmodifier_at(folded)
    return folded[cut - 1] if cut is not None else folded[-1]


def singular(word: str) -> str | None:
    """'strategies' -> 'strategy', 'reports' -> 'report'; None for a word not in the plural
    (a word ending in -ss, -us or -is: "address", "status", "analysis")."""
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=1)
def document_words() -> frozenset[str]:
    """Words that name a document: the labels of the ontology's Document classes."""
    from ingest.ontology import ontology_graph

    graph = ontology_graph()
    classes = set(graph.transitive_subjects(RDFS.subClassOf, SKG.Document))
    found = {
        word.casefold()
        for cls in classes
        for label in graph.objects(cls, RDFS.label)
        for word in words_of(str(label))
    }
    return frozenset(found - FUNCTION_WORDS - {"document"})


@lru_cache(maxsize=1)
def document_heads() -> dict[str, URIRef]:
    """The head word of each Document class label and its class ("strategy" Strategy,
    "article" NewsArticle); a one-word label ("document") wins over a longer one."""
    from ingest.ontology import ontology_graph

    graph = ontology_graph()
    found: dict[str, tuple[int, URIRef]] = {}
    for cls in sorted(graph.transitive_subjects(RDFS.subClassOf, SKG.Document)):
        for label in graph.objects(cls, RDFS.label):
            words = words_of(str(label).casefold())
            if words and (words[-1] not in found or len(words) < found[words[-1]][0]):
                found[words[-1]] = (len(words), URIRef(cls))
    return {head: cls for head, (_, cls) in found.items()}


@lru_cache(maxsize=1)
def asset_words() -> frozenset[str]:
    """Head nouns of the ontology's SpaceAsset class labels ("satellite", "station")."""
    from ingest.ontology import ontology_graph

    graph = ontology_graph()
    classes = set(graph.transitive_subjects(RDFS.subClassOf, SKG.SpaceAsset))
    return frozenset(
        words_of(str(label).casefold())[-1]
        for cls in classes
        for label in graph.objects(cls, RDFS.label)
        if words_of(str(label))
    )


@lru_cache(maxsize=1)
def class_labels() -> frozenset[str]:
    """The labels of the ontology's classes, in lower case ("state", "treaty", "launch")."""
    from rdflib import OWL, RDF

    from ingest.ontology import ontology_graph

    graph = ontology_graph()
    return frozenset(
        str(label).casefold()
        for cls in graph.subjects(RDF.type, OWL.Class)
        for label in graph.objects(cls, RDFS.label)
    )


def names_a_class(label: str) -> bool:
    """The label is only an ontology class's label, singular or plural ("States", "Treaty")."""
    words = words_of(label.casefold())
    if not words:
        return False
    head = words[-1]
    stems = {head, _stem(head), _stem(head) + "e"}
    return any(" ".join([*words[:-1], stem]) in class_labels() for stem in stems)


def is_a(entity: Entity, cls: URIRef) -> bool:
    """The entity is of `cls` or of a subclass (curated entities carry their direct types)."""
    from .link_tables import class_closure

    return any(cls in class_closure(URIRef(c)) for c in entity.classes)


def fits_class(entity: Entity, document_nouns: frozenset[str]) -> bool:
    """A minted Person or Document named as one, a Place not named by a class noun; other
    classes are not checked here."""
    words = words_of(entity.label)
    if is_a(entity, SKG.Person):
        if not 1 <= len(words) <= _PERSON_WORDS:
            return False
        names = [w for w in words if w.casefold() not in _NAME_PARTICLES]
        if not names or any(not w[0].isupper() or any(c.isdigit() for c in w) for w in names):
            return False  # "text", "1 label"
        shouting = [w.isupper() for w in names if len(w) > 3]
        # "Sheridan DEFENCE CORRESPONDENT": a name run into a role; "DONALD J. TRUMP" is a name.
        return all(shouting) or not any(shouting)
    if is_a(entity, SKG.Document):
        folded = {w.casefold().strip("'\"“”‘’") for w in words}
        if folded & (document_nouns | document_words()):
            return True
        content = [w for w in words if w.casefold() not in FUNCTION_WORDS]
        return len(content) >= 2 and all(w[0].isupper() for w in content)
    # "all States": a class noun, of no place
    return not (is_a(entity, SKG.Place) and names_a_class(entity.label))


def is_common_noun(label: str, text: str) -> bool:
    """No word of `label` is a name: all in lower case, or one capitalised word that the text
    also writes in lower case ("Space" at a sentence start or in a heading). A number names
    ("Kosmos 1408", "launch 2021")."""
    words = words_of(label)
    if any(c.isdigit() for c in label):
        return False
    if not words:
        return True
    if all(w[0].islower() for w in words):
        return True
    if len(words) != 1 or not words[0].istitle():
        return False
    lower = words[0].lower()
    if _WORD.fullmatch(lower):
        return lower in text_words(text)
    return re.search(rf"(?<![\w-]){re.escape(lower)}(?![\w-])", text) is not None


_WORD = re.compile(r"\w+")
_WORD_RUN = re.compile(r"[\w-]+")


@lru_cache(maxsize=4)
def text_words(text: str) -> frozenset[str]:
    """The runs of word characters and hyphens in `text`, found once per text.

    A word of word characters only occurs on its own in the text (no word character or
    hyphen either side) exactly when it is one of these runs, so `is_common_noun` asks a set
    instead of searching the whole text for every minted name: that search, once per name,
    made a long document's resolution quadratic."""
    return frozenset(_WORD_RUN.findall(text))


def _stem(word: str) -> str:
    """'launched' -> 'launch', 'tests' -> 'test': enough to find an event noun's inflections."""
    for suffix in ("ing", "ed", "es", "s", "d"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def head_in(label: str, nouns: frozenset[str]) -> bool:
    """The label's head (its last word, inflected or not) is one of `nouns`: "launched" and
    "launches" are "launch", "military satellites" "satellite"."""
    words = words_of(label.casefold())
    if not words:
        return False
    head = words[-1]
    return head in nouns or _stem(head) in nouns or _stem(head) + "e" in nouns


def names_event_type(label: str, event_nouns: frozenset[str]) -> bool:
    """The label's head is an event noun of the rules ("launch", "launched" as a verb), not a
    word that only the model took for an event ("creation", "aim", "News"); with no nouns
    given, any label."""
    return not event_nouns or head_in(label, event_nouns)


def capitalised_inside(extraction: Extraction, text: str) -> set[URIRef]:
    """Entities with a mention that starts with a capital where no sentence or line starts:
    the text writes them as a name ("the Centre will", "orbits the Earth"), whatever it writes
    elsewhere; "Space is important" at a sentence start says nothing."""
    found: set[URIRef] = set()
    for mention in extraction.mentions:
        if not mention.text[:1].isupper():
            continue
        sentence = 0  # the search for the line start goes back no further than the sentence
        if 0 <= mention.sentence < len(extraction.sentences):
            sentence = extraction.sentences[mention.sentence].start_char
        start = max(sentence, text.rfind("\n", sentence, mention.start_char) + 1)
        if any(c.isalpha() for c in text[start : mention.start_char]):
            found.add(mention.iri)
    return found


def _common(entity: Entity, named: set[URIRef], text: str) -> bool:
    return entity.iri not in named and is_common_noun(entity.label, text)


def unfounded(
    extraction: Extraction, text: str, event_nouns: frozenset[str]
) -> dict[URIRef, Entity]:
    """Minted individuals named by a common noun where the class needs a name, whatever their
    relations (module docstring): an actor that is no group, an asset with no asset noun, an
    event with no event noun or with neither actor nor date; and one-word non-type events."""
    anchored: set[URIRef] = set()  # events with an actor (conducted) or a date
    for relation in extraction.relations:
        if relation.predicate == SKG.date:
            anchored.add(relation.subject)
        elif relation.predicate == SKG.conducted and isinstance(relation.object, URIRef):
            anchored.add(relation.object)
    named = capitalised_inside(extraction, text)
    found: dict[URIRef, Entity] = {}
    for iri, entity in extraction.entities.items():
        if entity.curated:
            continue
        event = is_a(entity, SKG.Event)
        typed = names_event_type(entity.label, event_nouns)
        if event and len(words_of(entity.label)) == 1 and not typed:
            found[iri] = entity  # one word names an event only as its type ("News", "Semi")
        elif is_a(entity, SKG.Person) and is_common_noun(entity.label, text):
            found[iri] = entity  # "Mr. Coordinator" where the text writes "the coordinator"
        elif _common(entity, named, text) and (
            (is_a(entity, SKG.Actor) and not is_a(entity, SKG.ActorGroup))
            or (is_a(entity, SKG.SpaceAsset) and not head_in(entity.label, asset_words()))
            or (event and (iri not in anchored or not typed))
        ):
            found[iri] = entity
    return found


def in_passing(extraction: Extraction, text: str) -> dict[URIRef, Entity]:
    """Common-noun assets, events and one-word places that take part in no relation."""
    related: set[URIRef] = set()
    for relation in extraction.relations:
        related.add(relation.subject)
        if isinstance(relation.object, URIRef):
            related.add(relation.object)
    named = capitalised_inside(extraction, text)
    return {
        iri: entity
        for iri, entity in extraction.entities.items()
        if not entity.curated
        and iri not in related
        and (
            is_a(entity, SKG.SpaceAsset)
            or is_a(entity, SKG.Event)
            or (is_a(entity, SKG.Place) and len(words_of(entity.label)) == 1 and iri not in named)
        )
        and is_common_noun(entity.label, text)
    }


def in_relations_only(extraction: Extraction, text: str) -> list[Mention]:
    """The mentions, but those of a common-noun asset or event (a short reference, "the
    satellite", "the launch") only in a sentence where it takes part in a relation, as the
    annotation guide gives such references spans."""
    ends = {
        (end, relation.sentence)
        for relation in extraction.relations
        for end in (relation.subject, relation.object)
        if isinstance(end, URIRef)
    }
    named = capitalised_inside(extraction, text)
    kept: list[Mention] = []
    for mention in extraction.mentions:
        entity = extraction.entities.get(mention.iri)
        if (
            entity is None
            or entity.curated
            or (mention.iri, mention.sentence) in ends
            or not (is_a(entity, SKG.SpaceAsset) or is_a(entity, SKG.Event))
            or not _common(entity, named, text)
        ):
            kept.append(mention)
    return kept
