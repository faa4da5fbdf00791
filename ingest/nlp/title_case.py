"""Known names cut from the words the model ran them into in title-cased text.

In a headline, a page title or a heading every word is capitalised, so the statistical NER
cannot see where a name ends and runs it on into the next capitalised words: "First
Committee Delegates Stress", "UN Security Council Briefing", "Nuclear Weapons, International
Security", or, before the name, "Defense Regarding the Establishment of the United States
Space Command". Each run-on span became an individual of its own beside the known one. On a
title-cased line, a span whose leading words are a known name of two or more words (a curated
name, or another entity's name in the same document) is that name, and the words after it
are dropped; so is a span whose trailing words are a known name when the words before it hold
a verb (a clause, no part of a name). A span whose last word is a class noun of the ontology
or an organisation's kind ("... Strategic Support Force", "... Public Affairs Office") is a
name of its own built on the known one and stays whole. The model also ends a span inside a
known name ("Weighing Chance Outer" before "Space"): when the span's last words and the next
words of the line, in no other span, make a known name, the span is that name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span

from .layout import line_of

_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# A title-cased stretch has at least this many capitalised content words.
_TITLE_WORDS = 3
ARTICLES = frozenset({"the", "a", "an"})
# A name the span ends inside runs on for at most this many words after it.
_OVERRUN = 3


def is_title_cased(line: str) -> bool:
    """Every content word of the line is capitalised (stop words may be either), the line
    has a few of them and is not all capitals (a shouted line keeps its own spans)."""
    words = [w for w in _WORD.findall(line) if w.casefold() not in STOP_WORDS]
    return len(words) >= _TITLE_WORDS and all(w[0].isupper() for w in words) and not line.isupper()


@lru_cache(maxsize=1)
def class_nouns() -> frozenset[str]:
    """The head nouns of the ontology's class labels ("launch", "strategy", "station")."""
    from .fit import class_labels

    return frozenset(label.split()[-1] for label in class_labels() if label.split())


def _name_words(span: Span) -> int:
    return sum(1 for t in span if t.is_alpha)


def _is_own_name(span: Span, head_words: frozenset[str]) -> bool:
    """The span ends in a class noun or an organisation's kind: a name of its own."""
    last = span[-1].lower_
    return last in head_words or last.rstrip("s") in head_words


def _as_known(
    part: Span,
    span: Span,
    is_known: Callable[[str], bool],
    named: dict[str, Span],
    normalise: Callable[[str], str],
) -> Span | None:
    """`part` without articles and punctuation at its ends, as a span of the known name it
    is (labelled as the document's other span of that name), or None."""
    while part and (part[0].is_punct or part[0].lower_ in ARTICLES):
        part = part[1:]
    while part and part[-1].is_punct:
        part = part[:-1]
    if not part or _name_words(part) < 2:
        return None
    other = named.get(normalise(part.text))
    if other is not None:
        return Span(span.doc, part.start, part.end, label=other.label, span_id=other.id)
    if is_known(part.text):
        return Span(span.doc, part.start, part.end, label=span.label)
    return None


def _on_title_line(span: Span, is_known: Callable[[str], bool]) -> bool:
    """A model span of one line, no known name itself, on a title-cased line."""
    if span.id_ or "\n" in span.text or is_known(span.text):
        return False
    return is_title_cased(line_of(span)[0])


def known_part(
    span: Span,
    is_known: Callable[[str], bool],
    named: dict[str, Span],
    normalise: Callable[[str], str],
    own_words: frozenset[str],
) -> Span | None:
    """The longest known name the span starts with (or ends with, after a verb), on a
    title-cased line; None when there is none or the span is a name of its own."""
    if len(span) < 2 or not _on_title_line(span, is_known):
        return None
    own = _is_own_name(span, own_words)
    doc = span.doc
    for size in range(len(span) - 1, 0, -1):
        parts = [] if own else [doc[span.start : span.start + size]]
        if any(t.pos_ == "VERB" for t in doc[span.start : span.end - size]):
            parts.append(doc[span.end - size : span.end])
        for part in parts:
            found = _as_known(part, span, is_known, named, normalise)
            if found is not None:
                return found
    return None


def known_overrun(
    span: Span,
    is_known: Callable[[str], bool],
    named: dict[str, Span],
    normalise: Callable[[str], str],
    taken: set[int],
) -> Span | None:
    """The known name the span's last words begin and the next words on its title-cased
    line end, in no other span ("Weighing Chance Outer" before "Space": Outer Space)."""
    if not _on_title_line(span, is_known):
        return None
    doc = span.doc
    for end in range(span.end + 1, min(span.end + _OVERRUN, len(doc)) + 1):
        if end - 1 in taken or not doc[end - 1].is_alpha:
            return None
        for start in range(span.start, span.end):
            found = _as_known(doc[start:end], span, is_known, named, normalise)
            if found is not None:
                return found
    return None


def cut_run_ons(
    spans: Iterable[Span],
    is_known: Callable[[str], bool],
    normalise: Callable[[str], str],
    head_words: frozenset[str],
) -> list[Span]:
    """The spans with every title-cased run-on cut to the known name it holds or runs into;
    a name another span of the document has takes that span's label, so both link to one
    individual."""
    spans = list(spans)
    own_words = head_words | class_nouns()  # a span ending in one is a name of its own
    named: dict[str, Span] = {}
    taken: set[int] = set()
    for span in spans:
        named.setdefault(normalise(span.text), span)
        taken.update(range(span.start, span.end))
    cut = []
    for span in spans:
        part = known_part(span, is_known, named, normalise, own_words)
        if part is None:
            part = known_overrun(span, is_known, named, normalise, taken)
            if part is not None:
                taken.update(range(part.start, part.end))
        cut.append(span if part is None else part)
    return cut
