"""Facts about documents: who issued or adopted one, and what the document itself says."""

from __future__ import annotations

from rdflib import URIRef
from spacy.tokens import Span, Token

from ingest.dates import DateValue, parse_date
from ingest.extraction import (
    Entity,
    Relation,
)
from ingest.iri import mint
from ingest.nlp import lexicon as lx
from ingest.vocab import SKG

from .common import _COPULAS, _DATE_PREPS, Reading, _range, _surface
from .events import _EventMention


def _year_before_name(span: Span) -> DateValue | None:
    """The year a named document's mention opens with ("1967 Outer Space Treaty"), or that
    modifies it just before ("the 2019 [London Declaration]"), as a date."""
    first = span[0] if len(span) > 1 else None
    before = span.doc[span.start - 1] if span.start > 0 else None
    for token in (first, before):
        if (
            token is not None
            and len(token.text) == 4
            and token.text.isdigit()
            and 1900 <= int(token.text) <= 2100
            and (token is first or token.head.i in range(span.start, span.end))
        ):
            return parse_date(token.text)
    return None


def _agrees_with_curated(entity: Entity, date: DateValue) -> bool:
    """A curated document keeps its one curated date (the shapes allow one): the text's year
    is stated only when it is that date."""
    if not entity.curated:
        return True
    from ingest.ontology import reference_graph

    curated = reference_graph().value(entity.iri, SKG.date)
    return curated is None or str(curated) == date.iso


class _DocumentFacts:
    """Documents and the document's own voice; mixed into `_DocExtractor`."""

    def documents_pass(self) -> None:
        """'France adopted a space defence strategy in July 2019', 'Communiqué issued by X'.

        A document noun names the source document when it stands in the title line or says
        "this"; otherwise it becomes a document of its own once the sentence says who issued it.
        """
        published = self.lex.rules["published"]
        nouns = self.lex.words.document_nouns
        for token in self.doc:
            cls = nouns.get(token.lemma_.lower()) or nouns.get(token.lower_)
            if cls is None or token.pos_ not in ("NOUN", "PROPN") or token.i in self.token_reading:
                continue
            if token.tag_ in ("NNS", "NNPS"):
                continue
            sentence = self.sent_of[token.i]
            if self._names_source(token, cls, sentence):
                self.token_reading[token.i] = self.document  # type: ignore[assignment]
                for actor in self._document_publishers(token):
                    self.emit(published, actor, self.document, sentence, pattern="document:self")
                continue
            publishers = self._document_publishers(token)
            if not publishers:
                continue
            date = self._document_date(token)
            surface = _surface(token)
            label = f"{publishers[0].entity.label} {surface}"
            if date is not None and len(surface.split()) == 1:
                label += f" {date.iso[:4]}"  # "Defense Intelligence Agency report 2019"
            entity = Entity(iri=mint("document", label), label=label, classes=(cls,), curated=False)
            reading = Reading(entity, self.lex.closure((cls,)), lx.INFERRED_FACTOR)
            self.token_reading[token.i] = reading
            for actor in publishers:
                self.emit(published, actor, reading, sentence, pattern="document:publisher")
            if date is not None:
                self._register(entity)
                self._add(
                    Relation(
                        subject=entity.iri,
                        predicate=SKG.date,
                        object=date.literal(),
                        confidence=round(0.9 * lx.INFERRED_FACTOR, 4),
                        sentence=sentence,
                        pattern="document:date",
                    )
                )

    def named_documents_pass(self) -> None:
        """'the UK's National Space Strategy', 'the Declaration adopted by the Allies': a named
        document's possessor or issuing agent published it, as for a document noun."""
        published = self.lex.rules["published"]
        for span in self.doc.ents:
            reading = self.token_reading.get(span.root.i)
            if reading is None or reading is self.document or SKG.Document not in reading.classes:
                continue
            sentence = self.sent_of[span.root.i]
            for actor in self._document_publishers(span.root):
                self.emit(published, actor, reading, sentence, pattern="document:named")
            year = _year_before_name(span)
            if year is not None and _agrees_with_curated(reading.entity, year):
                # "the 1967 Outer Space Treaty", "the 2021 National Space Strategy"
                self._register(reading.entity)
                self._add(
                    Relation(
                        subject=reading.entity.iri,
                        predicate=SKG.date,
                        object=year.literal(),
                        confidence=round(0.9 * lx.INFERRED_FACTOR, 4),
                        sentence=sentence,
                        pattern="document:year",
                    )
                )

    def _names_source(self, token: Token, cls: URIRef, sentence: int) -> bool:
        if self.document is None or cls not in self.document.classes:
            return False
        if sentence == self.title_sentence:
            return True
        return any(
            c.dep_ in ("det", "amod") and c.lower_ in lx.SELF_DETERMINERS for c in token.children
        )

    def _document_publishers(self, token: Token) -> list[Reading]:
        """Who issued the document `token` names: its possessor, 'by' agent or issuing verb."""
        published = self.lex.rules["published"]
        verbs = {t.lemma for t in published.verbs}
        tokens: list[Token] = []
        for child in token.children:
            if child.dep_ == "poss":
                tokens.append(child)
            elif child.dep_ == "prep" and child.lower_ == "by":
                tokens += [p for p in child.children if p.dep_ == "pobj"]
            elif (
                child.dep_ == "acl"
                and child.lemma_.lower() in verbs
                and self.is_passive(child)
                and self.polarity(child) >= 1.0
            ):
                tokens += self.agent_tokens(child)
        head = token.head
        if (
            token.dep_ in ("dobj", "nsubjpass")
            and head.lemma_.lower() in verbs
            and self.polarity(head) >= 1.0
        ):
            tokens += self.agent_tokens(head)
        if (
            token.dep_ == "pobj"
            and head.lower_ == "in"
            and head.head.lemma_.lower() in self.lex.words.reporting_verbs
        ):
            tokens += self.agent_tokens(head.head)  # "X warned in a report that ..."
        return [r for r in self._readings_of(tokens) if published.domain & r.classes]

    def _document_date(self, token: Token) -> DateValue | None:
        """A date on the document noun ('a report last year') or on the verb that issued it."""
        for child in token.children:
            if child.dep_ in ("npadvmod", "tmod") or (
                child.dep_ == "prep" and child.lower_ in _DATE_PREPS
            ):
                nodes = (
                    [child]
                    if child.dep_ != "prep"
                    else [p for p in child.children if p.dep_ == "pobj"]
                )
                for node in nodes:
                    date = self._date_of(node)
                    if date is not None:
                        return date
        if token.dep_ in ("dobj", "nsubjpass", "pobj"):
            verb = token.head if token.dep_ != "pobj" else token.head.head
            if verb.pos_ in ("VERB", "AUX"):
                mention = _EventMention(token, self.sent_of[token.i], SKG.Event)
                self._event_date_from(mention, verb, exclude=token)
                return mention.date
        return None

    def voice_pass(self) -> None:
        """A policy or declaration declares the doctrine its own main clauses state.

        "Space is contested, congested and competitive" in a policy: the concept is the main
        predicate, or the subject or complement of the main copula, of a plain statement.
        """
        if self.document is None or not (self.document.classes & lx.NORMATIVE_DOCUMENTS):
            return
        rule = self.lex.rules["declares"]
        for index, sent in enumerate(self.sents):
            root = sent.root
            if sent.text.rstrip().endswith("?") or self.polarity(root) < 1.0:
                continue
            clauses = [root]
            if root.lemma_ in _COPULAS:
                clauses = [
                    c for c in root.children if c.dep_ in ("nsubj", "csubj", "attr", "acomp")
                ]
            for span in sent.ents:
                concept = self.token_reading.get(span.root.i)
                if concept is None or SKG.DoctrineConcept not in concept.classes:
                    continue
                holds = root.i in _range(span) or any(
                    span.root.i == c.i or c.is_ancestor(span.root) for c in clauses if c is not root
                )
                if holds:
                    self.emit(rule, self.document, concept, index, factor=0.9, pattern="voice")

    # --- events -------------------------------------------------------------------------------
