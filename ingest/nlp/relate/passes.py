"""Emitting facts, and the verb, noun and locative passes that find them."""

from __future__ import annotations

from rdflib import URIRef
from spacy.tokens import Token

from ingest.extraction import (
    EXTRACTOR_RELATE,
    Entity,
    Relation,
)
from ingest.nlp import lexicon as lx
from ingest.nlp.lexicon import PropertyRule

from .common import (
    _COPULAS,
    _OBJECT_DEPS,
    _RELATIVE_PRONOUNS,
    _SUBJECT_DEPS,
    MAX_FACTS_PER_SENTENCE,
    Reading,
    _distance,
    _negated_object,
    _path_factor,
    _unique,
)


class _Passes:
    """Facts from verbs, nouns and locative prepositions; mixed into `_DocExtractor`."""

    def emit(
        self,
        rule: PropertyRule,
        subject: Reading,
        obj: Reading,
        sentence: int,
        *,
        factor: float = 1.0,
        pattern: str,
        extractor: str = EXTRACTOR_RELATE,
        check: bool = True,
    ) -> None:
        if subject.entity.iri == obj.entity.iri:
            return
        if check and not self.lex.fits(rule, subject.classes, obj.classes):
            return
        # The geometric mean of the two linking scores: a fact is as doubtful as its ends on
        # average; a product would sink every fact between two entities minted from the text.
        linking = (subject.score * obj.score) ** 0.5
        confidence = rule.confidence * linking * subject.factor * obj.factor * factor
        confidence = round(max(0.0, min(1.0, confidence)), 4)
        if confidence <= 0.0:
            return
        self._add(
            Relation(
                subject=subject.entity.iri,
                predicate=rule.iri,
                object=obj.entity.iri,
                confidence=confidence,
                sentence=sentence,
                extractor=extractor,
                pattern=pattern,
            )
        )
        for reading in (subject, obj):
            if not reading.entity.curated or reading.entity.iri not in {
                URIRef(k) for k in self.known
            }:
                self._register(reading.entity)

    def _add(self, relation: Relation) -> None:
        key = (relation.subject, relation.predicate, relation.object, relation.sentence)
        previous = self.facts.get(key)
        per_sentence = sum(1 for k in self.facts if k[3] == relation.sentence)
        if previous is None and per_sentence >= MAX_FACTS_PER_SENTENCE:
            return
        if previous is None or previous.confidence < relation.confidence:
            self.facts[key] = relation

    # --- the passes ---------------------------------------------------------------------------

    def run(self) -> tuple[list[Relation], dict[str, Entity]]:
        self._note_pairs()
        self.events_pass()
        self.documents_pass()
        self.named_documents_pass()
        self.voice_pass()
        for token in self.doc:
            if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
                self.verb_pass(token)
            if token.pos_ in ("NOUN", "PROPN"):
                self.noun_pass(token)
            if token.dep_ == "prep" and token.lower_ in ("in", "at"):
                self.locative_pass(token)
        relations = sorted(
            self.facts.values(),
            key=lambda r: (r.sentence, str(r.subject), str(r.predicate), str(r.object)),
        )
        return relations, self.new_entities

    def verb_pass(self, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        entries = self.lex.by_verb.get(lemma, ())
        capability = self.lex.verb_capabilities.get(lemma)
        if not entries and capability is None:
            return
        polarity = self.polarity(verb)
        if polarity <= 0.0:
            return
        sentence = self.sent_of[verb.i]
        themes = self.theme_tokens(verb)
        if any(_negated_object(t) for t in themes):
            return
        done: set[tuple[URIRef, URIRef]] = set()
        for rule, template in entries:
            if not self.has_required(verb, template):
                continue
            subjects = self._readings_of(self.role_tokens(verb, template.subject_role, themes))
            if not subjects and rule.name != "threatens":
                continue  # threats may still reach a cause through a causal chain below
            if template.object_role == lx.CLAUSE:
                objects = [(r, d) for r, d in self.clause_readings(verb)]
            else:
                objects = [
                    (r, _distance(verb, t))
                    for t in self.role_tokens(verb, template.object_role, themes)
                    for r in self.readings(t)
                ]
            for subject in subjects:
                for obj, distance in objects:
                    pair = (subject.entity.iri, obj.entity.iri)
                    if pair in done or not self.lex.fits(rule, subject.classes, obj.classes):
                        continue
                    done.add(pair)
                    self.emit(
                        rule,
                        subject,
                        obj,
                        sentence,
                        factor=polarity * _path_factor(distance),
                        pattern=f"verb:{template.text}",
                    )
            if rule.name == "threatens":
                self._causal_threats(verb, rule, subjects, objects, sentence, polarity)
        if capability is not None:
            self._verb_capability(verb, capability, themes, sentence, polarity)

    def _readings_of(self, tokens: list[Token]) -> list[Reading]:
        found: list[Reading] = []
        for token in tokens:
            found.extend(self.readings(token))
        return _unique(found)

    def _verb_capability(
        self, verb: Token, capability: URIRef, themes: list[Token], sentence: int, polarity: float
    ) -> None:
        """'Satellites can be jammed' -> jamming threatens satellites; 'Russia jams' -> has it."""
        cap = self._capability(capability)
        threatens = self.lex.rules["threatens"]
        for target in self._readings_of(themes):
            self.emit(threatens, cap, target, sentence, factor=polarity, pattern="verb-capability")
        has = self.lex.rules["hasCapability"]
        for agent in self._readings_of(self.agent_tokens(verb)):
            self.emit(
                has,
                agent,
                cap,
                sentence,
                factor=polarity * lx.INFERRED_FACTOR,
                pattern="verb-capability-agent",
            )

    def _causal_threats(
        self,
        verb: Token,
        rule: PropertyRule,
        subjects: list[Reading],
        objects: list[tuple[Reading, int]],
        sentence: int,
        polarity: float,
    ) -> None:
        """'The test caused a debris field that increases risk to X': the test threatens X."""
        subject_tokens = self.agent_tokens(verb)
        for token in subject_tokens:
            carrier = token.head.head if token.lower_ in _RELATIVE_PRONOUNS else token
            cause_verb = carrier.head
            if carrier.dep_ not in _OBJECT_DEPS or cause_verb.lemma_.lower() not in (
                self.lex.words.causative_verbs
            ):
                continue
            for cause in self._readings_of(self.agent_tokens(cause_verb)):
                for obj, distance in objects:
                    self.emit(
                        rule,
                        cause,
                        obj,
                        sentence,
                        factor=polarity * lx.CHAIN_FACTOR * _path_factor(distance),
                        pattern="causal-chain",
                    )

    def noun_pass(self, noun: Token) -> None:
        """'Finland is a member of NATO', 'Skylogic, a subsidiary of Eutelsat', 'threat to X'."""
        rules = self.lex.by_noun.get(noun.lemma_.lower(), ())
        if not rules:
            return
        sentence = self.sent_of[noun.i]
        subjects = self._readings_of(self._noun_subjects(noun))
        if not subjects:
            return
        if noun.head.lemma_ in _COPULAS and self.polarity(noun.head) <= 0.0:
            return
        if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            return
        for rule in rules:
            object_tokens = [
                pobj
                for prep in noun.children
                if prep.dep_ == "prep" and prep.lower_ in rule.nouns[noun.lemma_.lower()]
                for pobj in prep.children
                if pobj.dep_ == "pobj"
            ]
            # "a Eutelsat subsidiary", "NATO's member": the modifier is the whole.
            object_tokens += [
                c for c in noun.children if c.dep_ in ("poss", "compound") and c.i < noun.i
            ]
            if noun.dep_ == "compound":
                object_tokens += [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
            for subject in subjects:
                for token in object_tokens:
                    for obj in self.readings(token):
                        self.emit(
                            rule,
                            subject,
                            obj,
                            sentence,
                            factor=_path_factor(_distance(noun, token)),
                            pattern=f"noun:{noun.lemma_.lower()}",
                        )

    def _noun_subjects(self, noun: Token) -> list[Token]:
        """What a relational noun describes: the copula's subject or the apposed name."""
        found: list[Token] = []
        head = noun.head
        if noun.dep_ in ("attr", "acomp", "oprd") and head.lemma_ in _COPULAS:
            found += [c for c in head.children if c.dep_ in _SUBJECT_DEPS]
        if noun.dep_ == "appos":
            found.append(head)
        if noun.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ in ("VERB", "AUX"):
            found += self.agent_tokens(head.head)  # "X serves as director of Y"
        found += [c for c in noun.children if c.dep_ == "appos"]
        if noun.dep_ == "compound" and head.i in self.token_reading:
            found.append(head)  # "Eutelsat subsidiary Skylogic"
        # The threat nouns take their subject from a possessor or a "from"/"by" phrase.
        for child in noun.children:
            if child.dep_ == "poss" and noun.lemma_.lower() in ("threat", "risk", "condemnation"):
                found.append(child)
            if child.dep_ == "prep" and child.lower_ in ("from", "by"):
                found += [p for p in child.children if p.dep_ == "pobj"]
        return found

    def locative_pass(self, prep: Token) -> None:
        """'the NATO Space Centre of Excellence in Toulouse' -> locatedIn."""
        holder = prep.head
        if holder.pos_ not in ("NOUN", "PROPN"):
            return
        rule = self.lex.rules["locatedIn"]
        sentence = self.sent_of[prep.i]
        items = self.readings(holder, conj=False)
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for place in self.readings(pobj):
                for item in items:
                    self.emit(rule, item, place, sentence, factor=0.8, pattern="prep:in")

    # --- documents and the document's own voice ------------------------------
