"""British and American spellings of a term: a text writes either, the ontology one.

The ruler matches a curated term ("responsible state behaviour") in the other spelling too
("responsible state behavior"). Names are left alone: "Defence Space Strategy" and "Defense
Space Strategy" are two documents.
"""

from __future__ import annotations

import re

_TO_AMERICAN = (
    (re.compile(r"(?<=\w{3})our(s?)$"), r"or\1"),  # behaviour, armour
    (re.compile(r"isation(s?)$"), r"ization\1"),  # weaponisation
    (re.compile(r"fence(s?)$"), r"fense\1"),  # defence, offence
    (re.compile(r"(?<=\w{3})tre(s?)$"), r"ter\1"),  # centre, theatre
)
_TO_BRITISH = (
    (re.compile(r"avior(s?)$"), r"aviour\1"),  # behavior
    (re.compile(r"ization(s?)$"), r"isation\1"),
    (re.compile(r"fense(s?)$"), r"fence\1"),
)


def _respelled(text: str, rules: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    words = []
    for word in text.split(" "):
        for pattern, replacement in rules:
            word = pattern.sub(replacement, word)
        words.append(word)
    return " ".join(words)


def respellings(text: str) -> set[str]:
    """`text` with its words in American and in British spelling (each may equal `text`)."""
    return {_respelled(text, rules) for rules in (_TO_AMERICAN, _TO_BRITISH)}
