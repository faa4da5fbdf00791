"""The trigger lexicon: templates parse, and domains/ranges come from the ontology."""

from __future__ import annotations

import pytest
from rdflib.namespace import OWL, RDF, RDFS

from ingest.nlp.lexicon import (
    AGENT,
    CLAUSE,
    THEME,
    default_files,
    load_lexicon,
    parse_template,
    read_triggers,
)
from ingest.ontology import ontology_graph
from ingest.vocab import SKG


def test_templates_name_their_roles():
    attribute = parse_template("attribute {S} to {O}")
    assert (attribute.lemma, attribute.subject_role, attribute.object_role) == (
        "attribute",
        THEME,
        "prep:to",
    )
    risk = parse_template("increase risk to {O}")
    assert (risk.subject_role, risk.object_role, risk.required) == (AGENT, "prep:to", ("risk",))
    carry = parse_template("carry out {O}")
    assert (carry.object_role, carry.required) == (THEME, ("out",))
    assert parse_template("agree that {O*}").object_role == CLAUSE


@pytest.mark.parametrize("bad", ["{O} conduct", "conduct", ""])
def test_malformed_templates_are_refused(bad: str):
    with pytest.raises(ValueError):
        parse_template(bad)


def test_every_property_is_an_ontology_object_property():
    graph = ontology_graph()
    lexicon = load_lexicon()
    assert set(lexicon.rules) == set(read_triggers(default_files()).triggers)
    for rule in lexicon.rules.values():
        assert (rule.iri, RDF.type, OWL.ObjectProperty) in graph, rule.name
        assert (rule.iri, RDFS.label, None) in graph, rule.name
        assert 0 < rule.confidence <= 1


def test_domains_and_ranges_follow_the_ontology_unions():
    rules = load_lexicon().rules
    assert rules["threatens"].domain == {SKG.Capability, SKG.Event, SKG.Actor}
    assert rules["threatens"].range == {SKG.SpaceAsset, SKG.Actor, SKG.Place}
    assert rules["conducted"].domain == {SKG.Actor}
    assert rules["conducted"].range == {SKG.Event}
    assert rules["memberOf"].range == {SKG.Organization, SKG.ActorGroup}
    assert rules["locatedIn"].range == {SKG.Place, SKG.State}


def test_fits_uses_superclasses():
    lexicon = load_lexicon()
    conducted = lexicon.rules["conducted"]
    alliance = lexicon.closure((SKG.Alliance,))
    test = lexicon.closure((SKG.ASATTest,))
    assert lexicon.fits(conducted, alliance, test)
    assert not lexicon.fits(conducted, lexicon.closure((SKG.Place,)), test)


def test_technique_verbs_resolve_to_curated_capabilities():
    capabilities = load_lexicon().verb_capabilities
    assert str(capabilities["jam"]).endswith("/capability/jamming")
    assert str(capabilities["hack"]).endswith("/capability/cyber")


def test_verb_index_lists_every_property_of_an_ambiguous_verb():
    names = {rule.name for rule, _ in load_lexicon().by_verb["launch"]}
    assert {"conducted", "published", "establishes"} <= names
