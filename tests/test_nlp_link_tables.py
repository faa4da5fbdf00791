"""ingest.nlp.link_tables: what the linker's pattern files and the ontology say."""

from __future__ import annotations

from ingest.nlp.link_tables import default_files, kind_words, organisation_class, state_words
from ingest.vocab import SKG


def test_organisation_class_from_the_name() -> None:
    assert organisation_class("Orbital Widgets GmbH", default_files()) == SKG.Company
    assert organisation_class("Mandiant", default_files()) == SKG.Company
    assert (
        organisation_class("Ministry of Defence of Chile", default_files()) == SKG.GovernmentAgency
    )
    assert organisation_class("Graduate Institute", default_files()) == SKG.ResearchInstitute
    assert organisation_class("Friends of the Earth", default_files()) == SKG.Organization


def test_kind_words_and_capitals() -> None:
    """One-word kinds of organisation are those org_kinds.csv types as organisations; a
    capital is its state's word and keeps its place."""
    kinds = kind_words(default_files())
    assert {"department", "ministry"} <= kinds
    assert "ministers" not in kinds  # a group of people, no organisation
    moscow = state_words(default_files())["moscow"]
    assert moscow.state_label == "Russia" and moscow.place == "Moscow"
