"""Verb structure: voice, agents, themes, prepositional roles, polarity."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from ingest.nlp import lexicon as lx
from ingest.nlp.lexicon import VerbTemplate

from .common import _COPULAS, _OBJECT_DEPS, _PASSIVE_SUBJECT_DEPS, _SUBJECT_DEPS, Reading, _distance


class _Clauses:
    """Reading a verb's clause; mixed into `_DocExtractor`."""

    def is_passive(self, verb: Token) -> bool:
        deps = {c.dep_ for c in verb.children}
        if deps & {"nsubjpass", "csubjpass", "auxpass"}:
            return True
        if verb.tag_ == "VBN" and verb.dep_ == "acl":
            return True
        if verb.tag_ == "VBN" and verb.dep_ == "acomp" and verb.head.lemma_ in _COPULAS:
            return True
        if verb.dep_ == "conj" and verb.tag_ == "VBN" and not (deps & _SUBJECT_DEPS):
            return self.is_passive(verb.head) if verb.head.pos_ in ("VERB", "AUX") else False
        return False

    def agent_tokens(self, verb: Token, depth: int = 0) -> list[Token]:
        """Who does the verb: its subject, its 'by' agent, or the subject it inherits."""
        if depth > 4:
            return []
        if self.is_passive(verb):
            found = [
                pobj
                for agent in verb.children
                if agent.dep_ == "agent"
                for pobj in agent.children
                if pobj.dep_ == "pobj"
            ]
            if found or verb.dep_ != "conj":
                return found
            return self.agent_tokens(verb.head, depth + 1)
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            return subjects
        head = verb.head
        if (
            verb.dep_ in ("conj", "xcomp", "advcl")
            and head.i != verb.i
            and head.pos_ in ("VERB", "AUX")
        ):
            if verb.dep_ == "xcomp" and self.is_passive(head):
                # "X is expected to agree": the passive subject of the hedge is the agent.
                return [c for c in head.children if c.dep_ in _PASSIVE_SUBJECT_DEPS]
            return self.agent_tokens(head, depth + 1)
        if verb.dep_ == "acl" and head.i != verb.i:
            if verb.tag_ == "VBG":
                return [head]  # "actors seeking to explore space"
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
                # "NATO selected the proposal to host X": the matrix subject acts.
                governor = head.head
                if head.dep_ in _OBJECT_DEPS and governor.pos_ in ("VERB", "AUX"):
                    return self.agent_tokens(governor, depth + 1)
        if verb.dep_ == "relcl":
            return [head]
        return []

    def theme_tokens(self, verb: Token, depth: int = 0) -> list[Token]:
        """What the verb acts on: its direct object, or its passive subject."""
        if depth > 4:
            return []
        if self.is_passive(verb):
            found = [c for c in verb.children if c.dep_ in _PASSIVE_SUBJECT_DEPS]
            if found:
                return found
            if verb.dep_ == "acl":
                return [verb.head]
            if verb.dep_ == "acomp":
                return [c for c in verb.head.children if c.dep_ in _SUBJECT_DEPS]
            if verb.dep_ == "conj":
                return self.theme_tokens(verb.head, depth + 1)
            return []
        found = [c for c in verb.children if c.dep_ in _OBJECT_DEPS]
        if found:
            return found
        # "developing, testing and operationalising X": the object sits on another conjunct,
        # or the parser made it a conjunct of the verb.
        for other in verb.conjuncts:
            found.extend(c for c in other.children if c.dep_ in _OBJECT_DEPS)
            if other.pos_ in ("NOUN", "PROPN"):
                found.append(other)
        for child in verb.children:
            if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN"):
                found.append(child)
        return found

    def prep_objects(self, verb: Token, prep: str, extra: Iterable[Token] = ()) -> list[Token]:
        found: list[Token] = []
        for node in (verb, *extra):
            for child in node.children:
                if child.dep_ in ("prep", "agent", "dative") and child.lower_ == prep:
                    # "risk to human life and to the station": coordinated prepositions.
                    for node in (child, *child.conjuncts):
                        found.extend(p for p in node.children if p.dep_ == "pobj")
        return found

    def role_tokens(self, verb: Token, role: str, themes: list[Token]) -> list[Token]:
        if role == lx.AGENT:
            return self.agent_tokens(verb)
        if role == lx.THEME:
            return themes
        if role.startswith("prep:"):
            return self.prep_objects(verb, role.split(":", 1)[1], themes)
        return []

    def clause_readings(self, verb: Token) -> list[tuple[Reading, int]]:
        """Entities anywhere in the verb's complement (object, 'as' phrase, clause)."""
        found: list[tuple[Reading, int]] = []
        for child in verb.children:
            if child.dep_ in ("ccomp", "xcomp", "dobj", "oprd", "attr") or (
                child.dep_ == "prep" and child.lower_ == "as"
            ):
                for node in child.subtree:
                    reading = self.token_reading.get(node.i)
                    if reading is not None:
                        found.append((reading, _distance(verb, node)))
        return found

    def has_required(self, verb: Token, template: VerbTemplate) -> bool:
        near = {verb.i}
        for child in verb.children:
            near.add(child.i)
            near.update(g.i for g in child.children)
            if child.dep_ == "ccomp":
                # "agreed that space should be...": the parser may hang "that" on the subject.
                near.add(child.left_edge.i)
        words = {self.doc[i].lemma_.lower() for i in near} | {self.doc[i].lower_ for i in near}
        return all(word in words for word in template.required)

    def polarity(self, verb: Token) -> float:
        """1.0 for a plain statement, lower for modals and hedges, 0.0 when negated."""
        factor = 1.0
        node = verb
        for _ in range(4):
            for child in node.children:
                if child.dep_ == "neg" or (
                    child.lower_ in lx.NEGATIONS and child.dep_ in ("advmod", "neg", "preconj")
                ):
                    return 0.0
                if child.dep_ == "aux" and child.lower_ in lx.MODAL_WORDS:
                    factor = min(factor, 1.0 if child.lower_ == "can" else lx.MODAL_FACTOR)
            if node is not verb and node.lemma_.lower() in self.lex.words.hedge_verbs:
                factor = min(factor, lx.HEDGE_FACTOR)
            # Negation and hedges reach down through "expected to agree", not across "and".
            if node.dep_ in ("xcomp", "ccomp") and node.head.i != node.i:
                node = node.head
            elif node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
                # A conjunct shares its head's auxiliaries ("can be jammed, hacked").
                node = node.head
            else:
                break
        return factor

    # --- emitting -----------------------------------------------------------------------------
