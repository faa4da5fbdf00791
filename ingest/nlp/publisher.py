"""The curated Actor a document's front-matter publisher names: the source's end of a fact."""

from __future__ import annotations

import re

from ingest.extraction import Entity
from ingest.vocab import SKG


def publisher_entity(name: str | None) -> Entity | None:
    """The curated Actor a front-matter publisher names ("North Atlantic Council", "NATO").

    "Ifri (French Institute of International Relations)": the name, then each part of a
    name with a parenthetical gloss, so either spelling finds the actor.
    """
    if not name:
        return None
    candidates = [name]
    gloss = _GLOSS.fullmatch(name.strip())
    if gloss is not None:
        candidates += [gloss.group(1), gloss.group(2)]
    from ingest.nlp.relate import curated_names

    names = curated_names()
    for candidate in candidates:
        entity = names.get(" ".join(candidate.casefold().split()))
        if entity is not None and SKG.Actor in entity.classes:
            return entity
    return None


_GLOSS = re.compile(r"([^()]+?)\s*\(([^()]+)\)")
