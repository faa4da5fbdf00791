"""ingest.explore.terms: untrusted text made inert, IRIs as short names and back, timeline days."""

from __future__ import annotations

import pytest

from ingest.errors import InputError
from ingest.explore.terms import (
    class_words,
    curie,
    fallback_label,
    iso_date,
    md_escape,
    page_for,
    parse_entity,
    type_words,
)

RUSSIA = "https://w3id.org/spacekg/id/actor/russia"


def test_labels_from_documents_cannot_inject_markdown_links_or_html() -> None:
    label = "[click](https://evil.example) <img src=x onerror=alert(1)> **bold**"
    escaped = md_escape(label)
    for raw, inert in (("[click]", "\\[click\\]"), ("<img", "\\<img"), ("**", "\\*\\*")):
        assert inert in escaped, (raw, escaped)
    assert escaped.replace("\\", "") == label


def test_a_shared_link_names_the_entity_it_was_made_from() -> None:
    short = curie(RUSSIA)
    assert short != RUSSIA and "russia" in short
    assert str(parse_entity(short)) == RUSSIA
    assert str(parse_entity(RUSSIA)) == RUSSIA


@pytest.mark.parametrize("ref", ["not a reference", "javascript:alert(1)", "skgid:a b"])
def test_a_malformed_link_is_refused_with_an_input_error(ref: str) -> None:
    with pytest.raises(InputError):
        parse_entity(ref)


def test_dates_of_every_precision_land_on_a_day() -> None:
    assert iso_date("2021-11-15") == "2021-11-15"
    assert iso_date("2022-01") == "2022-01-01"  # gYearMonth: the first of the month
    assert iso_date("2019") == "2019-01-01"
    assert iso_date("2021-13") is None  # no thirteenth month
    assert iso_date("") is None and iso_date(None) is None


def test_unlabelled_individuals_and_classes_read_as_words() -> None:
    assert fallback_label("https://w3id.org/spacekg/id/asset/kosmos-1408") == "kosmos 1408"
    assert class_words("MilitaryCommand") == "military command"


def test_types_read_as_the_ontology_labels_them() -> None:
    from rdflib import RDFS, URIRef

    from ingest.ontology import ontology_graph

    skg = "https://w3id.org/spacekg/ontology#"
    for local in ("ASATTest", "MilitaryCommand", "DoctrineConcept", "CyberAttack"):
        label = ontology_graph().value(URIRef(skg + local), RDFS.label)
        assert label is not None, local
        assert type_words(local) == type_words(skg + local) == str(label)
    assert type_words("ASATTest") == "ASAT test"  # not "a s a t test" nor the CamelCase
    assert type_words("NoSuchClass") == "no such class"  # unlabelled: still words
    assert type_words(None) == ""


def test_event_iris_open_the_events_page() -> None:
    assert page_for("https://w3id.org/spacekg/id/event/ka-sat-cyber-attack") == (
        "events",
        "entity",
    )
    assert page_for(RUSSIA) == ("actors", "entity")
    assert page_for("https://w3id.org/spacekg/id/document/london-declaration")[0] == "doctrine"


def test_most_specific_drops_the_superclasses_of_another_class() -> None:
    from ingest.explore.terms import most_specific

    skg = "https://w3id.org/spacekg/ontology#"
    assert most_specific(f"{skg}Event {skg}ASATTest") == skg + "ASATTest"
    assert most_specific(f"{skg}Summit {skg}Event {skg}Meeting") == skg + "Summit"
    assert most_specific(f"{skg}Event") == skg + "Event"
    assert most_specific("") == ""
    # two unrelated classes: the first by IRI, every time
    assert most_specific(f"{skg}Summit {skg}CyberAttack") == skg + "CyberAttack"
