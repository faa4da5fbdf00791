"""Which stored minted names could agree with a batch's names: a regex the store runs itself.

Reading every minted name of every source graph (`minted_names.rq`) cost seconds at 1M
triples, for the few names a document can merge with. Name keys (`minted_names.name_key`) are
computed in Python, so the store cannot look them up; instead each spelling of the batch gives
an **anchor**, a regex any agreeing stored spelling matches. It asks for two of the key's
words in either order (they are different words of the stored name, so they never overlap):

- short words first (fewer than `FUZZY_MIN_CHARS` letters, or numbers, leading zeros aside):
  agreeing keys have the same short words;
- else one of the pieces of its longest long word: a word whose rapidfuzz ratio is at least
  `FUZZY_MIN_RATIO` is at most `d` insertions or deletions away, so one of `d + 1` pieces of
  the word is in it unchanged.

A stored spelling that is all ASCII folds by lower-casing, so it agrees only if it holds an
anchor, case aside: the regex is the anchors, case-insensitive. Any spelling with a character
outside ASCII (accents, "ß", fullwidth forms, another script) is a candidate whatever it says;
that alternative also covers an anchor that is not ASCII (only such a spelling can hold it).
Such names are few, and SPARQL has no accent folding to do better. The regex so finds a
superset of the agreeing names, and `MintedNames.match` decides as before. The pattern is a constant of the query
(`store.bind_constant`): Oxigraph compiles a REGEX bound through VALUES again for every name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise

from rdflib import Literal, URIRef

from .minted_names import FUZZY_MIN_CHARS, FUZZY_MIN_RATIO, name_key
from .store import Store, bind_constant, internal_query

# Characters of anchors in one regex: 10,000 compiled and 15,000 did not (Oxigraph's size
# limit); a pattern that still does not compile is split in two (`find_candidates`).
PATTERN_CHARS = 5000
NON_ASCII = "[^\\x00-\\x7f]"


def _ascii_pattern(word: str) -> str:
    """`word` as a regex matching itself (a key's words are letters, digits and `_`)."""
    return "".join(c if c.isalnum() or c == "_" else "\\" + c for c in word)


def long_word_pieces(word: str) -> list[str]:
    """Pieces of `word` one of which any word at least FUZZY_MIN_RATIO alike contains."""
    length = len(word)
    longest = length * (200 - FUZZY_MIN_RATIO) // FUZZY_MIN_RATIO  # ratio bound on lengths
    edits = int((length + longest) * (100 - FUZZY_MIN_RATIO) // 100)
    count = min(edits + 1, length)
    bounds = [length * k // count for k in range(count + 1)]
    return [word[a:b] for a, b in pairwise(bounds)]


def anchors(spelling: str, person: bool) -> str | None:
    """A regex any agreeing stored spelling matches, case aside (None: the name has no key).

    Up to two of the key's requirements, in either order: a short word (which an agreeing key
    has too) or one of the pieces of its longest long word (`long_word_pieces`); they fall in
    different words of the stored name, so they never overlap."""
    key = name_key(spelling, person)
    if not key:
        return None
    short = sorted(
        (w for w in key if len(w) < FUZZY_MIN_CHARS or w.isdigit()),
        key=lambda w: (w.isdigit(), -len(w), w),
    )
    needs = [_ascii_pattern(w) for w in short[:2]]
    long_words = [w for w in key if w not in short]
    if len(needs) < 2 and long_words:
        pieces = sorted(set(long_word_pieces(max(long_words, key=len))))
        needs.append("(?:" + "|".join(_ascii_pattern(p) for p in pieces) + ")")
    if len(needs) == 1:
        return needs[0]
    first, second = needs
    return f"{first}.*{second}|{second}.*{first}"


def candidate_anchors(spellings: Iterable[tuple[str, bool]]) -> list[str] | None:
    """The ASCII anchors of `spellings` ((spelling, is a person) pairs), sorted; None when no
    spelling has a key (nothing to look up)."""
    found = {anchors(spelling, person) for spelling, person in spellings}
    unique = sorted(a for a in found if a is not None)
    # An anchor that is not ASCII is found by the non-ASCII alternative of every pattern.
    return [a for a in unique if a.isascii()] if unique else None


def pattern_of(anchors_: Sequence[str]) -> str:
    """One case-insensitive regex for `anchors_` and every spelling outside ASCII."""
    return "|".join([*anchors_, NON_ASCII])


def _chunks(anchors_: Sequence[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    size = 0
    for anchor in anchors_:
        if chunk and size + len(anchor) > PATTERN_CHARS:
            yield chunk
            chunk, size = [], 0
        chunk.append(anchor)
        size += len(anchor) + 1
    yield chunk


def find_candidates(store: Store, spellings: Iterable[tuple[str, bool]]) -> set[URIRef] | None:
    """The minted individuals with a stored name that could agree with one of `spellings`;
    None if the store cannot run even one anchor's regex (then every name must be read)."""
    anchors_ = candidate_anchors(spellings)
    if anchors_ is None:
        return set()
    found: set[URIRef] = set()
    todo = list(_chunks(anchors_))
    while todo:
        chunk = todo.pop()
        pattern = Literal(pattern_of(chunk))
        if not store.query(
            bind_constant(internal_query("regex_compiles"), "pattern", pattern)
        ).boolean:
            if len(chunk) < 2:
                return None  # a store whose regexes differ: read every name instead
            todo += [chunk[: len(chunk) // 2], chunk[len(chunk) // 2 :]]
            continue
        text = bind_constant(internal_query("minted_name_candidates"), "pattern", pattern)
        found.update(
            iri for row in store.query(text).rows if isinstance(iri := row["entity"], URIRef)
        )
    return found
