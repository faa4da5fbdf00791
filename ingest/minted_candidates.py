"""Which stored minted names could agree with a batch's names: a regex the store runs itself.

Reading every minted name of every source graph (`minted_names.rq`) cost seconds at 1M
triples, for the few names a document can merge with. Name keys (`minted_names.name_key`) are
computed in Python, so the store cannot look them up; instead each spelling of the batch gives
an **anchor**, a piece of its key that any agreeing stored spelling must contain:

- its longest short word (fewer than `FUZZY_MIN_CHARS` letters, not a number): agreeing keys
  have the same short words;
- else its number (leading zeros aside, the digits are still in the stored text);
- else pieces of its longest long word: a word whose rapidfuzz ratio is at least
  `FUZZY_MIN_RATIO` is at most `d` insertions or deletions away, so one of `d + 1` pieces of
  the word is in it unchanged.

A stored spelling that is all ASCII folds by lower-casing, so it agrees only if it holds an
anchor, case aside: the regex is the anchors, case-insensitive. Any spelling with a character
outside ASCII (accents, "ß", fullwidth forms, another script) is a candidate whatever it says,
as is every spelling when an anchor is not ASCII: such names are few, and folding them in SPARQL
(which has no accent folding) is not needed. The regex so finds a superset of the agreeing
names, and `MintedNames.match` decides as before. The pattern is a constant of the query
(`store.bind_constant`): Oxigraph compiles a REGEX bound through VALUES again for every name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import pairwise

from .minted_names import FUZZY_MIN_CHARS, FUZZY_MIN_RATIO, name_key

ANCHORS_PER_QUERY = 500  # one regex per this many anchors
NON_ASCII = "[^\\x00-\\x7f]"


def _ascii_pattern(word: str) -> str:
    """`word` as a regex matching itself (a key's words are letters, digits and `_`)."""
    return "".join(c if c.isalnum() else "\\" + c for c in word)


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


def candidate_patterns(spellings: Iterable[tuple[str, bool]]) -> Iterator[str]:
    """Case-insensitive regexes (one per ANCHORS_PER_QUERY anchors) that together find every
    stored spelling that could agree with one of `spellings` ((spelling, is a person) pairs);
    none when no spelling has a key."""
    found = {anchors(spelling, person) for spelling, person in spellings}
    unique = sorted(a for a in found if a is not None)
    # An anchor that is not ASCII is found by the non-ASCII alternative below.
    kept = [a for a in unique if a.isascii()]
    if not unique:
        return
    for start in range(0, max(len(kept), 1), ANCHORS_PER_QUERY):
        yield "|".join([*kept[start : start + ANCHORS_PER_QUERY], NON_ASCII])
