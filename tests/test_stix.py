"""STIX 2.1 export: real stores, the real stix2 library and the OASIS validator on the output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from conftest import QUERY_DATASET, load_dataset
from rdflib import URIRef
from stix2validator import ValidationOptions, validate_string

from ingest.review import decide
from ingest.stix import CURATED_CONFIDENCE, StixExport, export_stix, stix_id
from ingest.store import EndpointStore, OxigraphStore, Store

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/spacekg/id/"
# Warnings the validator gives on every spacekg bundle, by design:
# 103: ids are UUIDv5 of the spacekg IRI (deterministic), where STIX suggests UUIDv4;
# 202: STIX 2.1 suggests no relationships for `incident` (a stub object), nor `uses` from an
#      `identity`: these are allowed, and the closest fit for "conducted", "targeted", ...;
# 302: external references to public pages carry no hash of the page.
EXPECTED_WARNINGS = {"103", "202", "302"}


def validate(text: str) -> list[str]:
    """The validator's verdict: raises on errors, returns the warnings."""
    result = validate_string(text, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]
    assert not result.errors
    return [str(w) for w in result.warnings]


class Bundle:
    """A parsed bundle with lookups by name and by relationship."""

    def __init__(self, export: StixExport) -> None:
        self.text = export.serialize()
        self.summary = export.summary
        self.objects = json.loads(self.text)["objects"]
        self.by_id = {o["id"]: o for o in self.objects}

    def named(self, kind: str, name: str) -> dict[str, object]:
        found = [o for o in self.objects if o["type"] == kind and o.get("name") == name]
        assert len(found) == 1, (kind, name, [o.get("name") for o in self.objects])
        return found[0]

    def relationships(self, source: str, kind: str, target: str) -> list[dict[str, object]]:
        return [
            o
            for o in self.objects
            if o["type"] == "relationship"
            and o["relationship_type"] == kind
            and o["source_ref"] == source
            and o["target_ref"] == target
        ]


@pytest.fixture(scope="module")
def fixture_bundle(dataset_store: OxigraphStore) -> Bundle:
    return Bundle(export_stix(dataset_store))


def test_fixture_bundle_is_valid_stix_21(fixture_bundle: Bundle) -> None:
    warnings = validate(fixture_bundle.text)
    codes = {w.split("{", 1)[1][:3] for w in warnings}
    assert codes <= EXPECTED_WARNINGS, warnings
    for warning in (w for w in warnings if "{202}" in w):
        assert "'incident' is permitted" in warning or "'uses' is permitted" in warning, warning


def test_russian_asat_test_is_an_incident_attributed_to_russia_targeting_kosmos(
    fixture_bundle: Bundle,
) -> None:
    test = fixture_bundle.named("incident", "Russian ASAT test of November 2021")
    assert test["first_seen"] == "2021-11-15T00:00:00Z"
    assert test["labels"] == ["ASATTest"]
    russia = fixture_bundle.named("threat-actor", "Russia")
    assert russia["threat_actor_types"] == ["nation-state"]
    assert russia["aliases"] == ["Russian Federation"]
    (conducted,) = fixture_bundle.relationships(test["id"], "attributed-to", russia["id"])
    # asserted in document A (0.88) and curated: the stronger of the two
    assert conducted["confidence"] == max(88, CURATED_CONFIDENCE)
    kosmos = fixture_bundle.named("infrastructure", "Kosmos 1408")
    (targets,) = fixture_bundle.relationships(test["id"], "targets", kosmos["id"])
    assert targets["confidence"] == 83
    (ref,) = targets["external_references"]
    assert ref["url"] == "https://example.org/news/asat-test"
    assert ref["description"].startswith("Russia conducted the test on 15 November 2021")
    assert ref["external_id"] == "skgid:evidence/aaaaaaaaaaaaaaaa-0003"


def test_threat_actor_rule_and_identities(fixture_bundle: Bundle) -> None:
    # China has capabilities, but conducted no hostile event in the graph: an identity.
    china = fixture_bundle.named("identity", "China")
    assert china["identity_class"] == "organization" and china["sectors"] == ["government"]
    nato = fixture_bundle.named("identity", "NATO")
    assert nato["sectors"] == ["defense"]  # an Alliance, through skg:Organization
    assert not [o for o in fixture_bundle.objects if o.get("name") == "Brussels Summit 2021"]
    assert fixture_bundle.summary.other_events == 1
    jamming = fixture_bundle.named("attack-pattern", "jamming")
    russia = fixture_bundle.named("threat-actor", "Russia")
    (uses,) = fixture_bundle.relationships(russia["id"], "uses", jamming["id"])
    assert uses["confidence"] == 77  # ev:bbbbbbbbbbbbbbbb-0004


def test_relationship_confidence_comes_from_its_evidence(fixture_bundle: Bundle) -> None:
    attack = fixture_bundle.named("incident", "KA-SAT cyberattack")
    ka_sat = fixture_bundle.named("infrastructure", "KA-SAT network")
    (targets,) = fixture_bundle.relationships(attack["id"], "targets", ka_sat["id"])
    assert targets["confidence"] == 79
    (ref,) = targets["external_references"]
    assert ref["source_name"] == "Space Threat Assessment 2022"
    assert ref["description"] == (
        "Russia conducted a cyberattack on the KA-SAT network on 24 February 2022."
    )
    # A curated fact with no evidence: the fixed confidence and the reference data's page.
    france = fixture_bundle.named("identity", "France")
    nato = fixture_bundle.named("identity", "NATO")
    (member,) = fixture_bundle.relationships(france["id"], "related-to", nato["id"])
    assert member["confidence"] == CURATED_CONFIDENCE
    assert member["description"] == "France member of NATO (spacekg: memberOf)"
    assert {r.get("url") for r in member["external_references"]} == {
        "https://www.nato.int/cps/en/natohq/topics_52044.htm"
    }


def test_review_only_and_inferred_facts_are_not_exported(fixture_bundle: Bundle) -> None:
    china = fixture_bundle.named("identity", "China")
    co_orbital = fixture_bundle.named("attack-pattern", "co-orbital ASAT")
    assert not fixture_bundle.relationships(china["id"], "uses", co_orbital["id"])
    russia = fixture_bundle.named("threat-actor", "Russia")
    gps = fixture_bundle.named("infrastructure", "GPS")
    assert not fixture_bundle.relationships(russia["id"], "related-to", gps["id"])
    # the four facts of the inferred graph have no evidence and no curated source
    assert fixture_bundle.summary.unsourced_facts == 4
    assert "4 fact(s) with no evidence or curated source" in "\n".join(
        fixture_bundle.summary.lines()
    )


def test_report_refers_to_the_objects_its_document_supports(fixture_bundle: Bundle) -> None:
    report = fixture_bundle.named("report", "NATO condemns Russian ASAT test")
    assert report["published"] == "2021-11-16T00:00:00Z"
    assert report["labels"] == ["NewsArticle"]
    refs = set(report["object_refs"])
    test = fixture_bundle.named("incident", "Russian ASAT test of November 2021")
    russia = fixture_bundle.named("threat-actor", "Russia")
    assert {test["id"], russia["id"], fixture_bundle.named("identity", "NATO")["id"]} <= refs
    (targets,) = fixture_bundle.relationships(
        test["id"], "targets", fixture_bundle.named("infrastructure", "Kosmos 1408")["id"]
    )
    assert targets["id"] in refs
    # nothing from the other document only
    assert fixture_bundle.named("incident", "KA-SAT cyberattack")["id"] not in refs
    assert {"url": "https://example.org/news/asat-test", "source_name": report["name"]} in report[
        "external_references"
    ]
    assert all(ref in fixture_bundle.by_id for ref in refs)


def test_ids_are_deterministic_across_runs_and_stores(
    fixture_bundle: Bundle, dataset_store: OxigraphStore, tmp_path: Path
) -> None:
    assert export_stix(dataset_store).serialize() == fixture_bundle.text
    other = OxigraphStore(tmp_path / "other")
    try:
        load_dataset(other, QUERY_DATASET)
        assert export_stix(other).serialize() == fixture_bundle.text
    finally:
        other.close()
    russia = fixture_bundle.named("threat-actor", "Russia")
    assert russia["id"] == stix_id("threat-actor", ID + "actor/russia")


def test_accepted_review_fact_is_exported_with_its_evidence(embedded_store: OxigraphStore) -> None:
    load_dataset(embedded_store, QUERY_DATASET)
    evidence = URIRef(ID + "evidence/aaaaaaaaaaaaaaaa-0007")  # China co-orbital ASAT, 0.42
    decide(embedded_store, evidence, "accepted", "Ada Analyst")
    bundle = Bundle(export_stix(embedded_store))
    validate(bundle.text)
    china = bundle.named("identity", "China")
    co_orbital = bundle.named("attack-pattern", "co-orbital ASAT")
    (uses,) = bundle.relationships(china["id"], "uses", co_orbital["id"])
    assert uses["confidence"] == 42
    (ref,) = uses["external_references"]
    assert ref["description"].endswith("(accepted by Ada Analyst)")


def test_empty_store_exports_a_valid_bundle_with_a_clear_message(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "empty")
    try:
        export = export_stix(store)
    finally:
        store.close()
    bundle = Bundle(export)
    validate(bundle.text)
    assert [o["type"] for o in bundle.objects] == ["identity"]
    assert bundle.objects[0]["name"] == "spacekg"
    (line,) = export.summary.lines()
    assert line.startswith("the store holds nothing to export")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACEKG_")}
    command = [sys.executable, "-m", "ingest.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def test_cli_writes_the_bundle_and_prints_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "spacekg.stix.json"
    result = _run("--store", str(tmp_path / "s"), "export", "--format", "stix", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stderr
    assert "STIX 2.1 bundle:" in result.stderr and "threat-actor" in result.stderr
    text = out.read_text(encoding="utf-8")
    validate(text)
    bundle = json.loads(text)
    names = {o.get("name") for o in bundle["objects"] if o["type"] == "incident"}
    assert "Russian DA-ASAT test 2021-11-15" in names
    assert "Brussels Summit 2021" not in names  # a summit is not an incident
    # the curated objects carry the reference data's own date, not the time of the export
    test = next(o for o in bundle["objects"] if o.get("name") == "Russian DA-ASAT test 2021-11-15")
    assert test["created"].startswith("2026-11-23")
    again = _run("--store", str(tmp_path / "s"), "export", "--format", "stix")
    assert again.returncode == 0, again.stderr
    assert again.stdout == text  # stdout gets the same bytes; the summary stays on stderr


@pytest.fixture
def empty_endpoint(oxigraph_server: str) -> Iterator[Store]:
    requests.post(
        oxigraph_server + "/update",
        data=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
        timeout=30,
    )
    store = EndpointStore(oxigraph_server + "/query", oxigraph_server + "/update")
    yield store
    store.close()


@pytest.mark.server
def test_cli_on_an_empty_server_says_there_is_nothing_to_export(
    empty_endpoint: Store, oxigraph_server: str, tmp_path: Path
) -> None:
    out = tmp_path / "empty.json"
    result = _run("--endpoint", oxigraph_server + "/query", "export", "-f", "stix", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "the store holds nothing to export" in result.stderr
    validate(out.read_text(encoding="utf-8"))


def test_ingested_documents_become_reports_dated_by_their_ingestion(app_store_factory) -> None:  # type: ignore[no-untyped-def]
    path = app_store_factory("stix")
    store = OxigraphStore(path, read_only=True)
    try:
        bundle = Bundle(export_stix(store))
    finally:
        store.close()
    validate(bundle.text)
    report = bundle.named("report", "Allies condemn Russia's anti-satellite test")
    assert report["published"] == "2021-11-19T00:00:00Z"
    assert report["created"][:4] >= "2026" and report["created"] == report["modified"]
    test = bundle.named("incident", "Russian DA-ASAT test 2021-11-15")
    assert test["id"] in report["object_refs"]
    evidenced = [
        bundle.by_id[ref]
        for ref in report["object_refs"]
        if ref.startswith("relationship--")
        and any(
            r.get("url") == "https://example.org/spacekg-fixture/russia-asat"
            for r in bundle.by_id[ref]["external_references"]
        )
    ]
    assert evidenced, report["object_refs"]
    assert all(0 <= r["confidence"] <= 100 for r in evidenced)
