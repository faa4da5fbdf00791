"""Trigger lexicon for relation extraction: which words signal which ontology property.

The words are data (`ingest/nlp/patterns/triggers.yaml`: verb templates and nouns per property,
event nouns and their modifiers, capability verbs; smaller word sets below); the classes each property accepts at its two ends are
not: they are read from the ontology's `rdfs:domain` / `rdfs:range` (with `owl:unionOf`), so a
change to the ontology changes what the extractor may emit without touching this file.

Verb templates are a small notation, read by `parse_template`:
  "conduct {O}"           the verb's subject is the fact's subject, its direct object (or the
                          passive subject) the fact's object;
  "carry out {O}"         a bare word is a required particle or complement ("out", "risk");
  "attribute {S} to {O}"  `{S}` / `{O}` after the verb = direct object / passive subject,
                          after a preposition = that preposition's object;
  "agree that {O*}"       `*`: the object is searched in the whole complement clause.
A template without `{S}` takes the fact's subject from the verb's subject (or the "by" agent).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ingest.config import ID_NS
from ingest.vocab import SKG

PREPOSITIONS = frozenset(
    {"to", "in", "at", "for", "of", "on", "against", "with", "from", "by", "as", "into", "within"}
)
# Role of a template slot: "agent" (subject / "by" agent), "theme" (direct object or passive
# subject), "prep:<p>" (object of preposition p), "clause" (anywhere in the complement).
AGENT, THEME, CLAUSE = "agent", "theme", "clause"


@dataclass(frozen=True)
class VerbTemplate:
    """One verb trigger parsed from the notation above."""

    lemma: str
    subject_role: str
    object_role: str
    required: tuple[str, ...]  # particles or complement nouns that must be present
    text: str


@dataclass(frozen=True)
class PropertyRule:
    """Everything the extractor needs to know about one property, computed once."""

    name: str
    iri: URIRef
    verbs: tuple[VerbTemplate, ...]
    nouns: dict[str, tuple[str, ...]]  # nominal trigger lemma -> prepositions of its object
    domain: frozenset[URIRef]
    range: frozenset[URIRef]
    confidence: float


def parse_template(text: str) -> VerbTemplate:
    """'attribute {S} to {O}' -> VerbTemplate(lemma='attribute', subject 'theme', object 'prep:to')."""
    words = text.split()
    if not words or words[0].startswith("{"):
        raise ValueError(f"verb template {text!r} must start with a verb lemma")
    roles: dict[str, str] = {}
    required: list[str] = []
    previous = ""
    for word in words[1:]:
        if word.startswith("{"):
            slot = word.strip("{}*")
            if word.endswith("*}"):
                role = CLAUSE
            elif previous in PREPOSITIONS:
                role = f"prep:{previous}"
            else:
                role = THEME
            roles[slot] = role
        else:
            required.append(word)
        previous = word
    # A preposition that introduces a slot is not itself a required word.
    prep_roles = {r.split(":", 1)[1] for r in roles.values() if r.startswith("prep:")}
    required = [w for w in required if w not in prep_roles]
    if "O" not in roles:
        raise ValueError(f"verb template {text!r} has no {{O}} slot")
    return VerbTemplate(
        lemma=words[0],
        subject_role=roles.get("S", AGENT),
        object_role=roles["O"],
        required=tuple(required),
        text=text,
    )


TRIGGERS_FILE = Path(__file__).parent / "patterns" / "triggers.yaml"


def _read_triggers(path: Path = TRIGGERS_FILE) -> dict:
    """The trigger tables (data, not code): see the header of `patterns/triggers.yaml`."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    for key in ("properties", "verb_capabilities", "event_nouns", "event_modifiers", "words"):
        if not isinstance(data.get(key), dict):
            raise ValueError(f"{path}: '{key}' must be a mapping")
    return data


_DATA = _read_triggers()
# property local name -> (verb templates, nominal triggers {noun: object prepositions}, confidence)
TRIGGERS: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]], float]] = {
    name: (
        tuple(entry.get("verbs") or ()),
        {noun: tuple(preps) for noun, preps in (entry.get("nouns") or {}).items()},
        float(entry["confidence"]),
    )
    for name, entry in _DATA["properties"].items()
}
# Verbs that name a counterspace technique: values are capability labels of the reference data.
VERB_CAPABILITIES: dict[str, str] = dict(_DATA["verb_capabilities"])
# Event nouns -> skg event class. Modifiers refine the class (see EVENT_MODIFIERS).
EVENT_NOUNS: dict[str, URIRef] = {k: SKG[v] for k, v in _DATA["event_nouns"].items()}
# A modifier word that turns the head's class into a more specific one.
EVENT_MODIFIERS: dict[str, URIRef] = {k: SKG[v] for k, v in _DATA["event_modifiers"].items()}
_WORDS = _DATA["words"]
# Word classes of the rules (see the header of `patterns/triggers.yaml`).
NOT_EVENT_MODIFIERS = frozenset(_WORDS["not_event_modifiers"])
TEST_MODIFIERS = frozenset(_WORDS["test_modifiers"])
ANAPHORIC_EVENT_NOUNS = frozenset(_WORDS["anaphoric_event_nouns"])
DOCUMENT_NOUNS: dict[str, URIRef] = {k: SKG[v] for k, v in _WORDS["document_nouns"].items()}
REPORTING_VERBS = frozenset(_WORDS["reporting_verbs"])
GENERIC_HEADS = frozenset(_WORDS["generic_heads"])
ACTION_NOUNS = frozenset(_WORDS["action_nouns"])
HOLDER_NOUNS = frozenset(_WORDS["holder_nouns"])
CAUSATIVE_VERBS = frozenset(_WORDS["causative_verbs"])
PAIR_ANAPHORS = frozenset(_WORDS["pair_anaphors"])
HEDGE_VERBS = frozenset(_WORDS["hedge_verbs"])


@lru_cache(maxsize=64)
def event_class_label(cls: URIRef) -> str:
    """How a minted event name reads its class ("Russia ASAT test 2021-11-15"): the class's
    rdfs:label in the ontology, else "event"."""
    from ingest.ontology import ontology_graph

    label = ontology_graph().value(cls, RDFS.label)
    return str(label) if label is not None else "event"


# Prepositions after an event noun: who did it, what it was aimed at.
EVENT_AGENT_PREPS = frozenset({"by"})
EVENT_TARGET_PREPS = frozenset({"against", "on", "targeting", "of"})

# Determiners by which a document noun points at the document it is written in.
SELF_DETERMINERS = frozenset({"this", "present"})
# Source documents that speak for their publisher: "we" is the publisher ...
INSTITUTIONAL_DOCUMENTS = frozenset(
    {
        SKG.Policy,
        SKG.Strategy,
        SKG.Declaration,
        SKG.Communique,
        SKG.Statement,
        SKG.Resolution,
        SKG.Treaty,
        SKG.Speech,
    }
)
# ... and these also declare the doctrine they state in their own main clauses.
NORMATIVE_DOCUMENTS = INSTITUTIONAL_DOCUMENTS - {SKG.Speech}
FIRST_PERSON_PLURAL = frozenset({"we", "us"})

# Confidence adjustments.
MODAL_FACTOR = 0.85  # could, may, might, would
HEDGE_FACTOR = 0.8  # expected to, plan to, seek to...
MODAL_WORDS = frozenset({"could", "may", "might", "would", "can", "should"})
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
PATH_FACTOR = 0.92  # per dependency hop beyond the shortest pattern
INFERRED_FACTOR = 0.85  # facts read through a weak modifier or a verb-implied capability
CHAIN_FACTOR = 0.9  # facts read through event coreference or a causal chain


@dataclass(frozen=True)
class Lexicon:
    """The compiled lexicon: rules per property, verb lemma index, capability IRIs."""

    rules: dict[str, PropertyRule]
    by_verb: dict[str, tuple[tuple[PropertyRule, VerbTemplate], ...]]
    by_noun: dict[str, tuple[PropertyRule, ...]]
    verb_capabilities: dict[str, URIRef]
    superclasses: dict[URIRef, frozenset[URIRef]]
    date_domain: frozenset[URIRef]

    def closure(self, classes: tuple[URIRef, ...] | tuple[str, ...]) -> frozenset[URIRef]:
        """The classes plus every skg superclass, so 'Alliance' also counts as 'Actor'."""
        found: set[URIRef] = set()
        for cls in classes:
            ref = URIRef(str(cls))
            found.add(ref)
            found |= self.superclasses.get(ref, frozenset())
        return frozenset(found)

    def fits(self, rule: PropertyRule, subject: frozenset[URIRef], obj: frozenset[URIRef]) -> bool:
        """True when the subject's classes meet the domain and the object's the range."""
        return bool(rule.domain & subject) and bool(rule.range & obj)


def _class_set(graph: Graph, node: object) -> frozenset[URIRef]:
    """A class or an owl:unionOf of classes -> the set of named classes."""
    if isinstance(node, URIRef):
        return frozenset({node})
    union = graph.value(node, OWL.unionOf)  # type: ignore[arg-type]
    if union is None:
        return frozenset()
    return frozenset(m for m in Collection(graph, union) if isinstance(m, URIRef))


def _superclass_map(graph: Graph) -> dict[URIRef, frozenset[URIRef]]:
    result: dict[URIRef, frozenset[URIRef]] = {}
    for cls in set(graph.subjects(RDF.type, OWL.Class)):
        if isinstance(cls, URIRef):
            result[cls] = frozenset(
                p for p in graph.transitive_objects(cls, RDFS.subClassOf) if isinstance(p, URIRef)
            )
    return result


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Compile the trigger tables against the ontology, once per process."""
    from ingest.ontology import labels_index, ontology_graph

    graph = ontology_graph()
    rules: dict[str, PropertyRule] = {}
    by_verb: dict[str, list[tuple[PropertyRule, VerbTemplate]]] = {}
    by_noun: dict[str, list[PropertyRule]] = {}
    for name, (templates, nouns, confidence) in TRIGGERS.items():
        iri = SKG[name]
        domain = frozenset().union(*(_class_set(graph, d) for d in graph.objects(iri, RDFS.domain)))
        range_ = frozenset().union(*(_class_set(graph, r) for r in graph.objects(iri, RDFS.range)))
        if not domain or not range_:
            raise ValueError(f"property {name} has no rdfs:domain or rdfs:range in the ontology")
        rule = PropertyRule(
            name=name,
            iri=iri,
            verbs=tuple(parse_template(t) for t in templates),
            nouns=dict(nouns),
            domain=domain,
            range=range_,
            confidence=confidence,
        )
        rules[name] = rule
        for template in rule.verbs:
            by_verb.setdefault(template.lemma, []).append((rule, template))
        for noun in nouns:
            by_noun.setdefault(noun, []).append(rule)
    by_label = {entry.label.lower(): entry.iri for entry in labels_index()}
    capabilities: dict[str, URIRef] = {}
    for verb, label in VERB_CAPABILITIES.items():
        iri = by_label.get(label.lower())
        if iri is None or not str(iri).startswith(ID_NS + "capability/"):
            raise ValueError(f"capability {label!r} (for verb {verb!r}) is not in the ontology")
        capabilities[verb] = iri
    date_domain = frozenset().union(
        *(_class_set(graph, d) for d in graph.objects(SKG.date, RDFS.domain))
    )
    return Lexicon(
        rules=rules,
        by_verb={k: tuple(v) for k, v in by_verb.items()},
        by_noun={k: tuple(v) for k, v in by_noun.items()},
        verb_capabilities=capabilities,
        superclasses=_superclass_map(graph),
        date_domain=date_domain,
    )
