"""Long texts in bounded pieces, and the pieces' extractions joined back into one.

spaCy's parser, NER and our components cost more than linearly in a Doc's length (spans are
compared with spans, candidates with sentences), and a Doc's memory grows with it. A text is
therefore cut into chunks of at most `CHUNK_CHARS` characters, at a paragraph break when there
is one in reach, else a line break, a sentence end or a space, and every chunk is processed as
a Doc of its own; a text shorter than that is one chunk and processed exactly as before.
Offsets and sentence numbers of the chunks' extractions are shifted back into the whole text,
so evidence still points into the stored text. Entities are keyed by IRI, which is minted from
the name and the document (never from the chunk), so a name in two chunks is one entity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from ingest.extraction import Entity, Extraction, Sentence

CHUNK_CHARS = 20_000
T = TypeVar("T")
# Where a chunk may end, best first: after a blank line, a line break, a sentence, a word.
_CUTS = ("\n\n", "\n", ". ", " ")


def chunk_bounds(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) pieces that cover `text` in order, each at most `limit` characters.

    Each cut looks back from `start + limit` for the best separator in the chunk's second
    half, so the work is linear in the text and no chunk is tiny.
    """
    if limit < 2:
        raise ValueError("a chunk must hold at least 2 characters")
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window_end = start + limit
        floor = start + limit // 2
        end = window_end
        for separator in _CUTS:
            found = text.rfind(separator, floor, window_end)
            if found >= 0:
                end = found + len(separator)
                break
        bounds.append((start, end))
        start = end
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


def _merged_entity(old: Entity | None, new: Entity) -> Entity:
    if old is None:
        return new
    known = {old.label.casefold(), *(a.casefold() for a in old.alt_labels)}
    extra = tuple(a for a in new.alt_labels if a.casefold() not in known)
    return replace(old, alt_labels=old.alt_labels + extra) if extra else old


class Joiner:
    """The chunks' extractions of one text joined as they come, so a chunk's entities are
    merged at once and only the text's distinct entities are held, not one dict per chunk.

    Every IRI and mention text is kept as one object (`_one`): a long text names the same
    few thousand things in tens of thousands of mentions and relations."""

    def __init__(self) -> None:
        self.joined = Extraction()
        self.first: tuple[int, Extraction] | None = None
        self.count = 0
        self._notes: dict[str, None] = {}
        self._iris: dict[object, object] = {}

    def _one(self, node: T) -> T:
        return self._iris.setdefault(node, node)  # type: ignore[return-value]

    def add(self, offset: int, part: Extraction) -> None:
        """The next chunk's extraction, `offset` characters into the text."""
        self.count += 1
        if self.count == 1:
            self.first = (offset, part)  # one chunk at offset 0 is the text's own extraction
            return
        if self.count == 2 and self.first is not None:
            self._append(*self.first)
            self.first = None
        self._append(offset, part)

    def _append(self, offset: int, part: Extraction) -> None:
        joined, one = self.joined, self._one
        base = len(joined.sentences)
        joined.sentences.extend(
            Sentence(s.text, s.start_char + offset, s.end_char + offset) for s in part.sentences
        )
        joined.mentions.extend(
            replace(
                m,
                text=one(m.text),
                start_char=m.start_char + offset,
                end_char=m.end_char + offset,
                sentence=m.sentence + base,
                iri=one(m.iri),
            )
            for m in part.mentions
        )
        joined.relations.extend(
            replace(
                r,
                subject=one(r.subject),
                predicate=one(r.predicate),
                object=one(r.object),
                sentence=r.sentence + base,
            )
            for r in part.relations
        )
        for key, entity in part.entities.items():
            key = one(key)
            joined.entities[key] = _merged_entity(joined.entities.get(key), entity)
        self._notes.update(dict.fromkeys(part.notes))

    def result(self) -> Extraction:
        if self.count == 1 and self.first is not None and self.first[0] == 0:
            return self.first[1]
        if self.first is not None:  # one chunk, not at the start
            self._append(*self.first)
            self.first = None
        self.joined.notes = list(self._notes)
        return self.joined


def join(parts: Sequence[tuple[int, Extraction]]) -> Extraction:
    """One Extraction of the whole text from (offset, extraction) of its chunks, in order."""
    joiner = Joiner()
    for offset, part in parts:
        joiner.add(offset, part)
    return joiner.result()
