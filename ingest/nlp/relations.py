"""The trained relation classifier: a spaCy `TrainablePipe` scoring every property of each pair.

Candidates come from `candidates.candidate_pairs` (entity pairs of one sentence that the
ontology's domains and ranges admit); the model (`relation_model`) scores each property the
pair may hold, and only those. Every scored pair is kept in `doc._.relation_scores` (raw
scores); a pair whose two ends are linked individuals (or a date) and whose calibrated
confidence (`confidence`) reaches `threshold` becomes a `Relation` in `doc._.relations`.

Training (`spacy train training/spacekg.cfg`, see `make train`) reads the gold relations that
`training/scripts/to_docbin.py` stores in each reference Doc: `user_data["relations"]` as
character offsets, entity spans in `doc.ents`, dates in `doc.spans["dates"]`, and sentence
starts. Pairs are built on the reference spans, so the classifier learns from gold entities.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from itertools import islice

import numpy
from rdflib import URIRef
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.vocab import Vocab
from thinc.api import Model, Optimizer
from thinc.types import Floats2d

from ingest.corpus import DATE_PROPERTY, Schema, load_schema
from ingest.dates import parse_date
from ingest.extraction import EXTRACTOR_MODEL, Relation, ScoredPair, register_extensions
from ingest.vocab import SKG

from . import relation_model  # noqa: F401  (registers the architecture)
from .calibration import IDENTITY, platt
from .candidates import Pair, candidate_pairs, pair_features
from .lexicon import load_lexicon
from .modifiers import holds

FACTORY = "spacekg_relation_model"
HAS_CAPABILITY = "hasCapability"
DATES_KEY = "dates"
Offsets = tuple[int, int, int, int]


@Language.factory(
    FACTORY,
    requires=["doc.ents"],
    assigns=["doc._.relation_scores", "doc._.relations"],
    default_config={"threshold": 0.3},
    default_score_weights={"rel_f": 1.0, "rel_p": 0.0, "rel_r": 0.0},
)
def make_relation_classifier(
    nlp: Language, name: str, model: Model, threshold: float
) -> RelationClassifier:
    """Factory of the relation classifier; `threshold` is the lowest score made a Relation."""
    return RelationClassifier(nlp.vocab, model, name, threshold=threshold)


class RelationClassifier(TrainablePipe):
    """Scores the ontology's properties for candidate entity pairs."""

    def __init__(
        self, vocab: Vocab, model: Model, name: str = FACTORY, *, threshold: float = 0.3
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.cfg: dict[str, object] = {
            "labels": [],
            "threshold": threshold,
            "calibration": dict(IDENTITY),
            "dep_labels": [],
            "kind_heads": [],
        }
        register_extensions()

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])  # type: ignore[arg-type]

    @property
    def threshold(self) -> float:
        return float(self.cfg["threshold"])  # type: ignore[arg-type]

    @property
    def kind_heads(self) -> frozenset[str]:
        """Nouns a capability modifier names ("cyber capabilities"), from the rules' lexicon."""
        return frozenset(self.cfg.get("kind_heads", ()))  # type: ignore[call-overload]

    def confidence(self, score: float, known_ends: int) -> float:
        """The evidence confidence of a scored fact: the model's score and how many of its
        ends are curated individuals or a date, through the Platt fit made on dev
        (`calibration.platt`, `training/scripts/calibrate.py`)."""
        return platt(score, known_ends, self.cfg.get("calibration", IDENTITY))  # type: ignore[arg-type]

    def add_label(self, label: str) -> int:
        if label in self.labels:
            return 0
        self.cfg["labels"] = [*self.labels, label]
        return 1

    # --- prediction ----------------------------------------------------------------------------

    def _inputs(
        self, docs: list[Doc], pairs: list[list[Pair]], schema: Schema
    ) -> tuple[list[Doc], list[list[Pair]], list[Floats2d]]:
        deps = list(self.cfg.get("dep_labels", []))  # type: ignore[call-overload]
        return docs, pairs, [pair_features(p, schema, deps) for p in pairs]

    def _mask(self, pairs: list[list[Pair]]) -> numpy.ndarray:
        rows = [p.allowed for doc_pairs in pairs for p in doc_pairs]
        mask = numpy.zeros((len(rows), len(self.labels)), dtype="float32")
        for r, allowed in enumerate(rows):
            for c, label in enumerate(self.labels):
                mask[r, c] = label in allowed
        return mask

    def predict(self, docs: Iterable[Doc]) -> tuple[list[list[Pair]], numpy.ndarray]:
        docs = list(docs)
        schema = load_schema()
        pairs = [candidate_pairs(doc, schema=schema) for doc in docs]
        if not any(pairs):
            return pairs, numpy.zeros((0, len(self.labels)), dtype="float32")
        scores = self.model.predict(self._inputs(docs, pairs, schema))
        return pairs, self.model.ops.to_numpy(scores) * self._mask(pairs)

    def set_annotations(
        self, docs: Iterable[Doc], predictions: tuple[list[list[Pair]], numpy.ndarray]
    ) -> None:
        pairs, scores = predictions
        row = 0
        for doc, doc_pairs in zip(docs, pairs, strict=True):
            starts = [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
            scored, relations = [], list(doc._.relations or [])
            for pair in doc_pairs:
                values = {
                    label: float(scores[row, c])
                    for c, label in enumerate(self.labels)
                    if label in pair.allowed
                }
                row += 1
                scored.append(
                    ScoredPair(
                        (pair.head.start_char, pair.head.end_char),
                        (pair.child.start_char, pair.child.end_char),
                        values,
                    )
                )
                sentence = max(bisect_right(starts, pair.head.start) - 1, 0)
                relations.extend(self._relations(doc, pair, values, sentence))
            doc._.relation_scores = scored
            doc._.relations = _merge(relations)

    def _relations(
        self, doc: Doc, pair: Pair, scores: dict[str, float], sentence: int
    ) -> list[Relation]:
        subject = _individual(pair.head)
        if subject is None:
            return []
        found = []
        for label, score in scores.items():
            if label == DATE_PROPERTY:
                date = parse_date(pair.child.text, reference=doc._.doc_date)
                obj = date.literal() if date is not None else None
            else:
                obj = _individual(pair.child)
            if obj is None or obj == subject:
                continue
            if label == HAS_CAPABILITY and not holds(pair.head, pair.child, self.kind_heads):
                continue  # "solidarity with Germany after the cyber campaign": not Germany's
            known = int(bool(pair.head._.curated)) + int(
                label == DATE_PROPERTY or bool(pair.child._.curated)
            )
            confidence = self.confidence(score, known)
            if confidence < self.threshold:
                continue
            found.append(
                Relation(
                    subject=subject,
                    predicate=SKG[label],
                    object=obj,
                    confidence=round(confidence, 3),
                    sentence=sentence,
                    extractor=EXTRACTOR_MODEL,
                    pattern=FACTORY,
                )
            )
        return found

    # --- training ------------------------------------------------------------------------------

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        """Labels are the schema's properties (read from the ontology) unless given."""
        for label in labels if labels is not None else load_schema().properties:
            self.add_label(label)
        self.model.get_ref("output_layer").set_dim("nO", len(self.labels))
        deps = {t.dep_ for eg in get_examples() for t in eg.reference if t.dep_}
        self.cfg["dep_labels"] = sorted(deps)
        self.cfg["kind_heads"] = sorted(load_lexicon().words.generic_heads)
        sample = [eg for eg in islice(get_examples(), 20) if gold_pairs(eg)]
        if not sample:
            raise ValueError(f"{self.name}: no candidate pairs in the training examples")
        pairs = [gold_pairs(eg) for eg in sample]
        docs = [eg.predicted for eg in sample]
        schema = load_schema()
        truth = self._truth(sample, pairs)
        self.model.initialize(X=self._inputs(docs, pairs, schema), Y=truth)

    def _truth(self, examples: list[Example], pairs: list[list[Pair]]) -> numpy.ndarray:
        rows = []
        for eg, doc_pairs in zip(examples, pairs, strict=True):
            gold = gold_relations(eg.reference)
            for pair in doc_pairs:
                key = _offsets(pair)
                rows.append([float(label in gold.get(key, ())) for label in self.labels])
        return numpy.asarray(rows, dtype="float32").reshape((-1, len(self.labels)))

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = [eg for eg in examples if len(eg.predicted) == len(eg.reference)]
        pairs = [gold_pairs(eg) for eg in examples]
        if not any(pairs):
            return losses
        docs = [eg.predicted for eg in examples]
        scores, backprop = self.model.begin_update(self._inputs(docs, pairs, load_schema()))
        mask = self._mask(pairs)
        d_scores = (scores - self._truth(examples, pairs)) * mask
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += float((d_scores**2).sum())
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> tuple[float, Floats2d]:
        examples = list(examples)
        pairs = [gold_pairs(eg) for eg in examples]
        d_scores = (scores - self._truth(examples, pairs)) * self._mask(pairs)
        return float((d_scores**2).sum()), d_scores

    def score(self, examples: Iterable[Example], **kwargs: object) -> dict[str, float]:
        """Micro P/R/F of (head, child, property) at `threshold` against the gold relations."""
        hits = found = wanted = 0
        for eg in examples:
            gold = {
                (k, label) for k, labels in gold_relations(eg.reference).items() for label in labels
            }
            predicted = {
                ((*p.head, *p.child), label)
                for p in eg.predicted._.relation_scores or []
                for label, score in p.scores.items()
                if score >= self.threshold
            }
            hits += len(gold & predicted)
            found += len(predicted)
            wanted += len(gold)
        p = hits / found if found else 0.0
        r = hits / wanted if wanted else 0.0
        return {"rel_p": p, "rel_r": r, "rel_f": 2 * p * r / (p + r) if p + r else 0.0}


def gold_spans(doc: Doc) -> list[Span]:
    """A reference Doc's entity spans and dates, in text order."""
    spans = list(doc.ents) + list(doc.spans.get(DATES_KEY, []))
    return sorted(spans, key=lambda s: s.start)


def gold_pairs(eg: Example) -> list[Pair]:
    """Candidate pairs over the reference's gold spans and sentences (training only).

    Entities the NER predicted where the annotation has none (`annotating_components` puts
    them on `eg.predicted`) join as ends too: every pair they are in is a negative, so the
    classifier also learns from the kind of spurious end it meets at ingest.
    """
    gold = gold_spans(eg.reference)
    covered = {i for span in gold for i in range(span.start, span.end)}
    noise = [
        ent for ent in eg.predicted.ents if not any(i in covered for i in range(ent.start, ent.end))
    ]
    spans = sorted([*gold, *noise], key=lambda s: s.start)
    return candidate_pairs(eg.reference, spans)


def gold_relations(doc: Doc) -> dict[Offsets, set[str]]:
    """(head start, head end, child start, child end) -> the properties annotated for it."""
    gold: dict[Offsets, set[str]] = {}
    for hs, he, cs, ce, label in doc.user_data.get("relations", []):
        gold.setdefault((hs, he, cs, ce), set()).add(label)
    return gold


def _offsets(pair: Pair) -> Offsets:
    return (pair.head.start_char, pair.head.end_char, pair.child.start_char, pair.child.end_char)


def _individual(span: Span) -> URIRef | None:
    iri = span._.iri if span.has_extension("iri") else None
    return URIRef(iri) if iri else None


def _merge(relations: list[Relation]) -> list[Relation]:
    """One Relation per (fact, sentence, extractor): the highest confidence wins."""
    best: dict[tuple, Relation] = {}
    for relation in relations:
        key = (
            relation.subject,
            relation.predicate,
            relation.object,
            relation.sentence,
            relation.extractor,
        )
        if key not in best or relation.confidence > best[key].confidence:
            best[key] = relation
    return list(best.values())
