"""Event mentions made specific, merged per document, matched with curated events or minted."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from spacy.tokens import Span, Token

from ingest.dates import DateValue, parse_date
from ingest.extraction import (
    EXTRACTOR_EVENT,
    Entity,
    Relation,
)
from ingest.iri import mint
from ingest.nlp import lexicon as lx
from ingest.nlp.fit import name_head
from ingest.vocab import SKG

from .common import (
    _DATE_PREPS,
    _DAY_RANGE,
    _MODIFIER_DEPS,
    EVENT_SCORE,
    Reading,
    _better_date,
    _compatible_class,
    _compatible_class_set,
    _is_anaphoric,
    _is_capability_or_none,
    _is_hostile,
    _refines,
    _surface,
    _unique,
)
from .curated import CuratedEvent

# Modifiers inside an event's name: "missile" of "missile test", "cyber" of "cyber attack".
_PHRASE_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "punct"})


def _modifies_within(modifier: Token, head: Token) -> bool:
    """`modifier`'s chain of heads reaches `head` without leaving the tokens between them."""
    node = modifier
    while node.i != head.i:
        if node.head.i == node.i or not modifier.i <= node.head.i <= head.i:
            return False
        node = node.head
    return True


@dataclass(slots=True)
class _EventMention:
    token: Token
    sentence: int
    cls: URIRef
    actors: list[Reading] = field(default_factory=list)
    targets: list[Reading] = field(default_factory=list)
    places: list[Reading] = field(default_factory=list)
    date: DateValue | None = None
    anaphoric: bool = False
    cluster: int = -1
    span: Span | None = None  # the trained NER's event span this mention is the head of


@dataclass(slots=True)
class _EventCluster:
    cls: URIRef
    mentions: list[_EventMention]
    date: DateValue | None = None
    entity: Entity | None = None


class _EventFacts:
    """Events and their facts; mixed into `_DocExtractor`."""

    def events_pass(self) -> None:
        mentions: list[_EventMention] = []
        for token in self.doc:
            mention = self._event_mention(token)
            if mention is not None:
                mentions.append(mention)
        clusters = self._cluster(mentions)
        for cluster in clusters:
            self._name_cluster(cluster)
        for cluster in clusters:
            entity = cluster.entity
            if entity is None:
                continue
            classes = self.lex.closure(entity.classes)
            for mention in cluster.mentions:
                factor = lx.CHAIN_FACTOR if mention.anaphoric else 1.0
                reading = Reading(entity, classes, EVENT_SCORE, factor)
                self.token_reading[mention.token.i] = reading
                span = mention.span
                if span is not None and str(span._.iri) != str(entity.iri):
                    self.renamed[(span.start, span.end)] = entity
                    for i in range(span.start, span.end):
                        self.token_reading[i] = reading
                elif span is None:
                    self.phrases[self._event_phrase(mention.token)] = entity
            self._register(entity)
            self._event_facts(cluster, Reading(entity, classes, EVENT_SCORE))

    def _heads_an_organisation(self, token: Token) -> bool:
        """A capitalised event noun inside a sentence that heads an organisation's name the
        text gives ("the Conference" beside "Conference on Disarmament") is that name,
        shortened, not an event."""
        if not token.is_title or token.is_sent_start:
            return False
        if self.organisation_heads is None:
            self.organisation_heads = {
                name_head(span._.canonical or span.text)
                for span in self.doc.ents
                if len(span) > 1
                and (reading := self.token_reading.get(span.root.i)) is not None
                and SKG.Organization in reading.classes
            }
        return token.lower_ in self.organisation_heads

    def _event_phrase(self, token: Token) -> tuple[int, int]:
        """The tokens that mention an event noun the NER did not mark: the noun and the
        modifiers before it that say what kind of event it is ("anti-satellite missile
        test", "direct-ascent ASAT test"), as the guide spans events. A determiner, a
        possessive, a number, a plain adjective ("recent", "reckless") or the name of an
        actor or target ends it (flat spans)."""
        start = token.i
        while start > 0:
            prev = self.doc[start - 1]
            reading = self.token_reading.get(prev.i)
            if (
                not _modifies_within(prev, token)
                or prev.dep_ not in _PHRASE_DEPS
                or (prev.dep_ == "punct" and prev.text != "-")
                or prev.like_num
                or (reading is not None and SKG.Capability not in reading.classes)
                or (prev.dep_ == "amod" and reading is None and "-" not in prev.text)
            ):
                break
            start -= 1
        while start < token.i and self.doc[start].text == "-":
            start += 1
        return start, token.i + 1

    def _specific_event_class(self, classes: frozenset[URIRef]) -> URIRef:
        """The most specific event class of a minted event (by the ontology's hierarchy)."""
        events = [c for c in classes if SKG.Event in self.lex.closure((c,)) and c != SKG.Event]
        for cls in sorted(events):
            if not any(
                other != cls and cls in self.lex.superclasses.get(other, ()) for other in events
            ):
                return cls
        return SKG.Event

    def _event_class(self, token: Token) -> URIRef | None:
        word = token.lower_
        lemma = token.lemma_.lower()
        cls = self.lex.words.event_nouns.get(word) or self.lex.words.event_nouns.get(lemma)
        if cls is None:
            return None
        left = [t for t in token.subtree if t.i < token.i and t.dep_ != "case"]
        words = {t.lower_ for t in left} | {t.lemma_.lower() for t in left}
        # "a cyber-attack", "the meeting of Foreign Ministers": modifiers refine the class.
        right = [
            t
            for prep in token.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for t in prep.subtree
        ]
        words |= {t.lower_ for t in right}
        if token.i > 1 and self.doc[token.i - 1].lower_ == "-":
            words.add(self.doc[token.i - 2].lower_)
        if words & self.lex.words.not_event_modifiers:
            return None  # "press conference", "news conference"
        for modifier, refined in self.lex.words.event_modifiers.items():
            if modifier in words and _refines(refined, cls):
                cls = refined
        if cls == SKG.ASATTest:
            modifier_caps = [self.token_reading[t.i] for t in left if t.i in self.token_reading]
            capability_hint = any(SKG.CounterspaceCapability in r.classes for r in modifier_caps)
            if not (words & self.lex.words.test_modifiers or capability_hint):
                return None
        return cls

    def _names_event_kind(self, token: Token) -> bool:
        """The noun is one of the event kinds the ontology's vocabulary names (a test, an
        attack, a summit...); the model also marks other happenings ("purchase", "signing")
        whose only class would be the bare skg:Event and whose name would say nothing."""
        nouns = self.lex.words.event_nouns
        return token.lower_ in nouns or token.lemma_.lower() in nouns

    def _verb_event(self, token: Token) -> _EventMention | None:
        """A verb the trained NER marked as a minted event ("Russia tested a missile on 15
        November 2021"): its subject is the actor, its object the target (when the property
        admits it), its date modifiers the date; then it is resolved like a noun mention."""
        linked = self.token_reading.get(token.i)
        span = self.span_of.get(token.i)
        if (
            linked is None
            or span is None
            or SKG.Event not in linked.classes
            or linked.entity.curated
            or span.root.i != token.i
            or self.polarity(token) <= 0.0
        ):
            return None
        mention = _EventMention(
            token,
            self.sent_of[token.i],
            self._specific_event_class(linked.classes),
            span=span,
        )
        conducted, targeted = self.lex.rules["conducted"], self.lex.rules["targeted"]
        # Both read the voice: the "by" agent and the passive subject when passive.
        agents, themes = self.agent_tokens(token), self.theme_tokens(token)
        mention.actors += [r for r in self._readings_of(agents) if conducted.domain & r.classes]
        mention.targets += [
            r
            for r in self._readings_of(themes)
            if targeted.range & r.classes and SKG.Capability not in r.classes
        ]
        self._event_date_from(mention, token, exclude=None)
        if not (mention.actors or mention.targets or mention.date):
            return None
        return mention

    def _event_mention(self, token: Token) -> _EventMention | None:
        if token.pos_ == "VERB":
            return self._verb_event(token)
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        linked = self.token_reading.get(token.i)
        span = self.span_of.get(token.i)
        cls: URIRef | None = None
        if linked is not None and SKG.Event in linked.classes and not linked.entity.curated:
            # A minted event span of the trained NER: resolved like any event mention (to
            # the curated event, or one named by actor, class and date), through its head.
            if span is None or span.root.i != token.i or token.tag_ in ("NNS", "NNPS"):
                return None
            cls = self._specific_event_class(linked.classes)
            if self._event_class(token) is None and _is_anaphoric(
                token, self.lex.words.anaphoric_event_nouns
            ):
                # "the test" after "Russia's ASAT test on 15 November 2021": that test.
                return _EventMention(token, self.sent_of[token.i], cls, anaphoric=True, span=span)
            if cls == SKG.Event and token.pos_ == "NOUN" and not self._names_event_kind(token):
                return None  # "Viasat's purchase of EBI": a common noun of no event kind
        elif linked is not None and (
            SKG.Event in linked.classes or not _is_capability_or_none(linked.classes)
        ):
            return None  # already a linked event, or part of another kind of name
        else:
            span = None
        if token.tag_ in ("NNS", "NNPS"):
            return None  # "dozens of tests": no one event
        if span is None and self._heads_an_organisation(token):
            return None  # "The Conference was established in 1979": Conference on Disarmament
        cls = cls or self._event_class(token)
        if cls is None:
            base = self.lex.words.event_nouns.get(token.lemma_.lower())
            if base is not None and _is_anaphoric(token, self.lex.words.anaphoric_event_nouns):
                # "This test caused...": a bare noun that points back to an earlier event.
                return _EventMention(token, self.sent_of[token.i], base, anaphoric=True)
            return None
        mention = _EventMention(token, self.sent_of[token.i], cls, span=span)
        actor_rule = self.lex.rules["conducted"]
        # Possessor and national or organisational modifiers: "Russia's test", "NATO summit".
        for child in token.children:
            if child.dep_ == "poss" or (child.dep_ in _MODIFIER_DEPS and child.i < token.i):
                for reading in self.readings(child):
                    if actor_rule.domain & reading.classes:
                        mention.actors.append(reading)
            if child.dep_ == "prep":
                pobjs = [p for p in child.children if p.dep_ == "pobj"]
                for pobj in pobjs:
                    self._event_prep(mention, child.lower_, pobj)
            if child.dep_ in ("acl", "relcl"):
                self._event_clause(mention, child)
        # The verb the event is the subject or object of: "X conducted a test on DATE".
        governor = token.head
        if (
            token.dep_ in ("dobj", "nsubjpass")
            and governor.lemma_.lower() in self.c.conduct_lemmas
            and self.polarity(governor) <= 0.0
        ):
            return None  # "China did not conduct a test": no event happened
        if token.dep_ in ("nsubj", "nsubjpass", "dobj") and governor.pos_ in ("VERB", "AUX"):
            if token.dep_ == "dobj" and governor.lemma_.lower() in self.c.conduct_lemmas:
                for reading in self._readings_of(self.agent_tokens(governor)):
                    if actor_rule.domain & reading.classes:
                        mention.actors.append(reading)
            if token.dep_ == "nsubj" and governor.lemma_.lower() in self.c.target_lemmas:
                for reading in self._readings_of(self.theme_tokens(governor)):
                    if self.lex.rules["targeted"].range & reading.classes:
                        mention.targets.append(reading)
            self._event_date_from(mention, governor, exclude=token)
        mention.actors = _unique(mention.actors)
        mention.targets = _unique(mention.targets)
        if not (mention.actors or mention.targets or mention.date or mention.places):
            if _is_anaphoric(token, self.lex.words.anaphoric_event_nouns):
                mention.anaphoric = True
                return mention
            return None
        return mention

    def _event_prep(self, mention: _EventMention, prep: str, pobj: Token) -> None:
        if prep in lx.EVENT_AGENT_PREPS or (prep == "of" and _refines(mention.cls, SKG.Meeting)):
            mention.actors += [
                r for r in self.readings(pobj) if self.lex.rules["conducted"].domain & r.classes
            ]
            return
        if prep in lx.EVENT_TARGET_PREPS and _is_hostile(mention.cls):
            targets = [
                r for r in self.readings(pobj) if self.lex.rules["targeted"].range & r.classes
            ]
            if targets:
                mention.targets += targets
                return
        if prep in ("in", "at") and _refines(mention.cls, SKG.Meeting):
            places = [
                r for r in self.readings(pobj) if self.lex.rules["locatedIn"].range & r.classes
            ]
            if places:
                mention.places += places
                return
        if prep in _DATE_PREPS:
            mention.date = _better_date(mention.date, self._date_of(pobj))

    def _event_clause(self, mention: _EventMention, verb: Token) -> None:
        """'the test conducted by Russia', 'the attack, which occurred on 24 February 2022'."""
        lemma = verb.lemma_.lower()
        if self.polarity(verb) <= 0.0:
            return
        if lemma in self.c.conduct_lemmas and self.is_passive(verb):
            mention.actors += [
                r
                for r in self._readings_of(self.agent_tokens(verb))
                if self.lex.rules["conducted"].domain & r.classes
            ]
        if lemma in self.c.target_lemmas and not self.is_passive(verb):
            mention.targets += [
                r
                for r in self._readings_of(self.theme_tokens(verb))
                if self.lex.rules["targeted"].range & r.classes
            ]
        self._event_date_from(mention, verb, exclude=None)

    def _event_date_from(self, mention: _EventMention, verb: Token, exclude: Token | None) -> None:
        if mention.date is not None and not mention.date.relative:
            return
        for child in verb.children:
            if exclude is not None and exclude.i in {t.i for t in child.subtree}:
                continue
            if child.dep_ == "prep" and child.lower_ in _DATE_PREPS:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        mention.date = _better_date(mention.date, self._date_of(pobj))
            elif child.dep_ in ("npadvmod", "tmod"):
                mention.date = _better_date(mention.date, self._date_of(child))

    def _date_of(self, token: Token) -> DateValue | None:
        """The date phrase headed by `token`, without a clause the parser hung on it ("on 15
        November 2021 that destroyed Kosmos 1408"): the clause's words would hide the date."""
        tokens = sorted(_phrase_tokens(token), key=lambda t: t.i)
        if len(tokens) > 12:
            return None
        text = self.doc[tokens[0].i : tokens[-1].i + 1].text
        text = _DAY_RANGE.sub(r"\1 ", text.strip())
        return parse_date(text, reference=self.doc._.doc_date)

    def _cluster(self, mentions: list[_EventMention]) -> list[_EventCluster]:
        """Merge the mentions of one event; anaphoric mentions join the latest compatible one."""
        clusters: list[_EventCluster] = []
        for mention in mentions:
            if mention.anaphoric:
                for index in range(len(clusters) - 1, -1, -1):
                    cluster = clusters[index]
                    if _compatible_class(cluster.cls, mention.cls) or mention.token.lemma_ == (
                        "incident"
                    ):
                        cluster.mentions.append(mention)
                        break
                continue
            target = None
            for cluster in clusters:
                if _same_event(cluster, mention):
                    target = cluster
                    break
            if target is None:
                clusters.append(_EventCluster(mention.cls, [mention], mention.date))
            else:
                target.mentions.append(mention)
                if _refines(mention.cls, target.cls):
                    target.cls = mention.cls
                target.date = _better_date(target.date, mention.date)
        return clusters

    def _name_cluster(self, cluster: _EventCluster) -> None:
        """The curated event of the same class whose actor agrees (when both are known) and
        whose date or target agrees; else a minted one named by actor, class and date, so
        every document that mentions that event names the same individual."""
        date = cluster.date
        targets = {r.entity.iri for m in cluster.mentions for r in m.targets}
        actor_iris = {r.entity.iri for m in cluster.mentions for r in m.actors}
        for curated in self.c.curated_events:
            if not (_compatible_class_set(curated.classes, cluster.cls)):
                continue
            known_actors = self._curated_actors(curated)
            if actor_iris and known_actors and not actor_iris & known_actors:
                continue  # another actor's test on the same day is another test
            same_date = (
                date is not None
                and curated.date is not None
                and (curated.date.startswith(date.iso) or date.iso.startswith(curated.date))
            )
            if same_date:
                cluster.entity = curated.entity
                return
            if date is None and targets and self._curated_targets(curated) & targets:
                cluster.entity = curated.entity
                return
        actors = [r.entity for m in cluster.mentions for r in m.actors]
        targets_e = [r.entity for m in cluster.mentions for r in m.targets]
        places = [r.entity for m in cluster.mentions for r in m.places]
        class_label = lx.event_class_label(cluster.cls)
        parts: list[str] = []
        if actors:
            parts += [actors[0].label, class_label]
        elif targets_e:
            parts += [class_label, "against", targets_e[0].label]
        else:
            parts += [class_label]
        if places and not actors and date is None:
            parts += ["in", places[0].label]  # one event per (class, actor, date) otherwise
        if date is not None:
            parts.append(date.iso)
        if len(parts) == 1:
            return  # nothing makes it specific: not an event of ours
        label = " ".join(parts)
        # The words the text used ("organizational session") stay findable as altLabels.
        surfaces = sorted(
            {_surface(m.token) for m in cluster.mentions if not m.anaphoric} - {label, ""}
        )
        cluster.entity = Entity(
            iri=mint("event", label),
            label=label,
            classes=(cluster.cls,),
            curated=False,
            alt_labels=tuple(surfaces),
        )

    def _curated_date(self, entity: Entity) -> str | None:
        for curated in self.c.curated_events:
            if curated.entity.iri == entity.iri:
                return curated.date
        return None

    def _curated_actors(self, curated: CuratedEvent) -> set[URIRef]:
        """Who the reference data says carried the event out or is held responsible."""
        from ingest.ontology import reference_graph

        graph = reference_graph()
        found = set(graph.subjects(SKG.conducted, curated.entity.iri))
        found |= set(graph.objects(curated.entity.iri, SKG.attributedTo))
        return {a for a in found if isinstance(a, URIRef)}

    def _curated_targets(self, curated: CuratedEvent) -> set[URIRef]:
        from ingest.ontology import reference_graph

        return {
            o
            for o in reference_graph().objects(curated.entity.iri, SKG.targeted)
            if isinstance(o, URIRef)
        }

    def _event_facts(self, cluster: _EventCluster, event: Reading) -> None:
        conducted = self.lex.rules["conducted"]
        targeted = self.lex.rules["targeted"]
        located = self.lex.rules["locatedIn"]
        for mention in cluster.mentions:
            for actor in mention.actors:
                self.emit(
                    conducted,
                    actor,
                    event,
                    mention.sentence,
                    pattern="event:actor",
                    extractor=EXTRACTOR_EVENT,
                )
            for target in mention.targets:
                self.emit(
                    targeted,
                    event,
                    target,
                    mention.sentence,
                    pattern="event:target",
                    extractor=EXTRACTOR_EVENT,
                )
            for place in mention.places:
                self.emit(
                    located,
                    event,
                    place,
                    mention.sentence,
                    factor=0.9,
                    pattern="event:place",
                    extractor=EXTRACTOR_EVENT,
                )
        if cluster.date is None:
            return
        curated_date = self._curated_date(event.entity)
        if event.entity.curated and curated_date != cluster.date.iso:
            return  # a curated event keeps its one curated date (skg:date is functional)
        sentence = next(m.sentence for m in cluster.mentions if m.date is not None)
        self._add(
            Relation(
                subject=event.entity.iri,
                predicate=SKG.date,
                object=cluster.date.literal(),
                confidence=round(0.9 * EVENT_SCORE, 4),
                sentence=sentence,
                extractor=EXTRACTOR_EVENT,
                pattern="event:date",
            )
        )


def _same_event(cluster: _EventCluster, mention: _EventMention) -> bool:
    if not _compatible_class(cluster.cls, mention.cls):
        return False
    if cluster.date and mention.date and not cluster.date.agrees_with(mention.date):
        return False
    if cluster.date and mention.date:
        return True
    ids = {r.entity.iri for m in cluster.mentions for r in (*m.actors, *m.targets)}
    return bool(ids & {r.entity.iri for r in (*mention.actors, *mention.targets)})


_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis"})


def _phrase_tokens(token: Token) -> list[Token]:
    """`token` and its dependents, leaving out every clause attached to them."""
    kept = [token]
    for child in token.children:
        if child.dep_ not in _CLAUSE_DEPS:
            kept += _phrase_tokens(child)
    return kept
