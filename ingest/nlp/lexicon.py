"""Trigger lexicon for relation extraction: which words signal which ontology property.

The words are data (`triggers.yaml`, a pattern file of the rules component, see
`pattern_files`: verb templates and nouns per property, event nouns and their modifiers,
capability verbs, the rules' word classes; the grammar's small closed sets are below). The
classes each property accepts at its two ends are not: they are read from the ontology's `rdfs:domain` / `rdfs:range` (with `owl:unionOf`), so a
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

import yaml
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ingest.config import ID_NS
from ingest.errors import OntologyError
from ingest.vocab import SKG

from .pattern_files import PatternFiles, source_files

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


TRIGGERS_FILE = "triggers.yaml"
RULES_FILES = (TRIGGERS_FILE,)
# property local name -> (verb templates, nominal triggers {noun: object prepositions}, confidence)
TriggerTable = dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]], float]]


@dataclass(frozen=True)
class TriggerWords:
    """The tables of triggers.yaml (data, not code: see the file's header)."""

    triggers: TriggerTable
    # Verbs that name a counterspace technique: values are capability labels of the reference data.
    verb_capabilities: dict[str, str]
    # Event nouns -> skg event class; a modifier word refines the head's class.
    event_nouns: dict[str, URIRef]
    event_modifiers: dict[str, URIRef]
    document_nouns: dict[str, URIRef]
    # The rules' word classes.
    not_event_modifiers: frozenset[str]
    test_modifiers: frozenset[str]
    anaphoric_event_nouns: frozenset[str]
    reporting_verbs: frozenset[str]
    generic_heads: frozenset[str]
    action_nouns: frozenset[str]
    holder_nouns: frozenset[str]
    causative_verbs: frozenset[str]
    pair_anaphors: frozenset[str]
    hedge_verbs: frozenset[str]


def default_files() -> PatternFiles:
    """The rules' pattern files as edited in ingest/nlp/patterns/ (outside a pipeline)."""
    return source_files(RULES_FILES)


def read_triggers(files: PatternFiles) -> TriggerWords:
    """Parse triggers.yaml; a malformed file names itself and the key."""
    where = files.where(TRIGGERS_FILE)
    data = yaml.safe_load(files.text(TRIGGERS_FILE))
    if not isinstance(data, dict):
        raise OntologyError("not a YAML mapping", where, "fix the file")
    for key in ("properties", "verb_capabilities", "event_nouns", "event_modifiers", "words"):
        if not isinstance(data.get(key), dict):
            raise OntologyError(f"'{key}' must be a mapping", where, "fix the file")
    words = data["words"]
    try:
        return TriggerWords(
            triggers={
                name: (
                    tuple(entry.get("verbs") or ()),
                    {noun: tuple(preps) for noun, preps in (entry.get("nouns") or {}).items()},
                    float(entry["confidence"]),
                )
                for name, entry in data["properties"].items()
            },
            verb_capabilities=dict(data["verb_capabilities"]),
            event_nouns={k: SKG[v] for k, v in data["event_nouns"].items()},
            event_modifiers={k: SKG[v] for k, v in data["event_modifiers"].items()},
            document_nouns={k: SKG[v] for k, v in words["document_nouns"].items()},
            not_event_modifiers=frozenset(words["not_event_modifiers"]),
            test_modifiers=frozenset(words["test_modifiers"]),
            anaphoric_event_nouns=frozenset(words["anaphoric_event_nouns"]),
            reporting_verbs=frozenset(words["reporting_verbs"]),
            generic_heads=frozenset(words["generic_heads"]),
            action_nouns=frozenset(words["action_nouns"]),
            holder_nouns=frozenset(words["holder_nouns"]),
            causative_verbs=frozenset(words["causative_verbs"]),
            pair_anaphors=frozenset(words["pair_anaphors"]),
            hedge_verbs=frozenset(words["hedge_verbs"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise OntologyError(f"malformed table: {exc!r}", where, "fix the file") from exc


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
    words: TriggerWords

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


@lru_cache(maxsize=8)
def load_lexicon(files: PatternFiles | None = None) -> Lexicon:
    """Compile the trigger tables against the ontology, once per file set (default: the
    sources in ingest/nlp/patterns/)."""
    from ingest.ontology import labels_index, ontology_graph

    words = read_triggers(files or default_files())
    graph = ontology_graph()
    rules: dict[str, PropertyRule] = {}
    by_verb: dict[str, list[tuple[PropertyRule, VerbTemplate]]] = {}
    by_noun: dict[str, list[PropertyRule]] = {}
    for name, (templates, nouns, confidence) in words.triggers.items():
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
    for verb, label in words.verb_capabilities.items():
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
        words=words,
    )
