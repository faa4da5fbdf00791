"""ingest.explore.actors: actor filters, an actor's facts with origins, neighbourhood, timeline.

Read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real embedded store.
"""

from __future__ import annotations

from ingest.explore.actors import (
    without_restated_inverses,
)

ID = "https://w3id.org/spacekg/id/"
SKG = "https://w3id.org/spacekg/ontology#"
RUSSIA = ID + "actor/russia"
NATO = ID + "actor/nato"


def test_inferred_inverse_facts_are_not_shown_twice() -> None:
    cyber, group = "skgid-cyber", "skgid-group"
    facts = [
        {
            "direction": "out",
            "property": SKG + "hasCapability",
            "other": cyber,
            "origins": ["curated"],
        },
        {
            "direction": "in",
            "property": SKG + "capabilityOf",
            "other": cyber,
            "origins": ["inferred"],
        },
        {"direction": "out", "property": SKG + "memberOf", "other": group, "origins": ["inferred"]},
    ]
    kept = without_restated_inverses(facts)  # type: ignore[arg-type]
    assert kept == [facts[0], facts[2]]  # the restated inverse goes, a new inference stays
