"""ingest.explore.events (and the Threats and Doctrine answers built on it) on a real store.

The embedded store holds the curated reference data and the North Atlantic Council's statement on
the 2021 Russian test, ingested from corpus/ by the real pipeline. Expected sources are read from
ontology/reference.ttl, not copied from the functions' output.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import DCTERMS, URIRef

from ingest.explore.doctrine import concepts_over_time, curated_sources, first_declared
from ingest.explore.events import EVENT_LISTS, event_detail, event_list, event_timeline
from ingest.explore.results import row_entities
from ingest.explore.threats import incidents, threats_to
from ingest.ontology import reference_graph
from ingest.store import OxigraphStore

CORPUS = Path(__file__).parents[1] / "corpus"
ID = "https://w3id.org/spacekg/id/"
RUSSIAN_TEST = ID + "event/russian-da-asat-test-2021-11-15"
KA_SAT_ATTACK = ID + "event/ka-sat-cyber-attack"
RUSSIA = ID + "actor/russia"
NAC = ID + "actor/north-atlantic-council"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    from ingest.config import Settings
    from ingest.pipeline import ingest_paths

    opened = OxigraphStore(tmp_path_factory.mktemp("events") / "store")
    opened.ensure_reference()
    report = ingest_paths(
        opened, [CORPUS / "nac_statement_russia_asat_2021.md"], Settings.from_env()
    )
    assert not report.failed, [o.error for o in report.failed]
    yield opened
    opened.close()


def cited(iri: str) -> set[str]:
    """The dct:source addresses the reference data gives for an individual."""
    return {str(o) for o in reference_graph().objects(URIRef(iri), DCTERMS.source)}


def test_the_event_list_has_types_in_words_who_and_targets(store: OxigraphStore) -> None:
    events = {r["event"]: r for r in event_list(store)}
    assert {RUSSIAN_TEST, KA_SAT_ATTACK, ID + "event/london-leaders-meeting"} <= set(events)
    assert events[RUSSIAN_TEST]["type"] == "ASAT test"
    assert events[RUSSIAN_TEST]["targets"] == "Kosmos 1408"
    assert events[ID + "event/london-leaders-meeting"]["type"] == "summit"
    # the KA-SAT attack was conducted by no one the data names, but is attributed to Russia
    assert events[KA_SAT_ATTACK]["responsible"] == "Russia"
    assert events[KA_SAT_ATTACK]["responsibleIris"] == [RUSSIA]
    assert events[KA_SAT_ATTACK]["sources"] == len(cited(KA_SAT_ATTACK))
    # every member of a multi-entity cell is reachable, with the label the cell shows for it
    for row in events.values():
        named = dict(row_entities(row, {"label": "event"}, EVENT_LISTS))
        assert named.pop(row["event"]) == row["label"]
        for column, (iris, _) in EVENT_LISTS.items():
            shown = str(row[column]).split("; ") if row[column] else []
            assert sorted(named[i] for i in row[iris]) == sorted(shown), (row["label"], column)
    for row in events.values():
        assert " " in str(row["type"]) or str(row["type"]).islower(), row["type"]  # no CamelCase
    dates = [str(r["dateText"]) for r in event_list(store) if r["dateText"]]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_the_2021_test_shows_natos_condemnation_its_date_and_statement(
    store: OxigraphStore,
) -> None:
    detail = event_detail(store, RUSSIAN_TEST)
    assert detail is not None
    assert (detail.label, detail.type, detail.date) == (
        "Russian DA-ASAT test 2021-11-15",
        "ASAT test",
        "2021-11-15",
    )
    assert [r["entity"] for r in detail.conducted_by] == [RUSSIA]
    assert [r["label"] for r in detail.targets] == ["Kosmos 1408"]
    (reaction,) = [r for r in detail.reactions if r["entity"] == NAC]
    assert reaction["date"] == "2021-11-19"  # the statement's date, not the test's
    assert "curated" in reaction["origins"] and "asserted" in reaction["origins"]
    sentences = reaction["evidence"]
    assert sentences and all(e["date"] == "2021-11-19" for e in sentences)
    assert any("condemns" in str(e["sentence"]) for e in sentences)
    assert any("North Atlantic Council" in str(e["title"]) for e in sentences)
    assert [d["date"] for d in detail.reported_in] == ["2021-11-19"]
    assert set(detail.sources) == cited(RUSSIAN_TEST)
    points = event_timeline(detail)
    assert [p["kind"] for p in points][:1] == ["ASAT test"]
    assert {"reaction", "report"} <= {p["kind"] for p in points}


def test_an_attack_names_who_is_held_responsible(store: OxigraphStore) -> None:
    detail = event_detail(store, KA_SAT_ATTACK)
    assert detail is not None
    assert detail.conducted_by == []
    assert [r["label"] for r in detail.attributed_to] == ["Russia"]
    assert detail.attributed_to[0]["origins"] == ["curated"]
    assert [r["entity"] for r in detail.responsible] == [RUSSIA]
    assert detail.type == "cyber-attack"


def test_an_unknown_event_has_no_page(store: OxigraphStore) -> None:
    assert event_detail(store, ID + "event/no-such-event") is None


def test_what_threatens_ka_sat_and_who_is_behind_it(store: OxigraphStore) -> None:
    rows = threats_to(store, ID + "asset/ka-sat-network")
    attack = [r for r in rows if r["threat"] == KA_SAT_ATTACK]
    assert attack, rows
    assert {(r["actorLabel"], r["actorRole"]) for r in attack} == {("Russia", "attributed to")}
    assert attack[0]["relationLabel"] == "targeted" and attack[0]["dateText"] == "2022-02-24"
    assert set(attack[0]["curatedSources"]) == cited(KA_SAT_ATTACK)
    by_event = {r["event"]: r for r in incidents(store)}
    assert by_event[KA_SAT_ATTACK]["attributedTo"] == "Russia"
    assert by_event[RUSSIAN_TEST]["attributedTo"] == ""  # conducted, not merely attributed


def test_space_became_an_operational_domain_in_the_london_declaration(
    store: OxigraphStore,
) -> None:
    first = first_declared(store, ID + "concept/operational-domain")
    assert first is not None
    assert (first["title"], first["dateText"]) == ("London Declaration", "2019-12-04")
    assert set(first["curatedSources"]) == cited(ID + "document/london-declaration")
    assert set(curated_sources(store, ID + "document/london-declaration")) == cited(
        ID + "document/london-declaration"
    )


def test_operational_domain_and_article_5_over_time(store: OxigraphStore) -> None:
    chosen = (ID + "concept/operational-domain", ID + "concept/collective-defence")
    rows = concepts_over_time(store, chosen)
    seen = {(r["conceptLabel"], r["title"], r["dateText"]) for r in rows}
    assert ("operational domain", "London Declaration", "2019-12-04") in seen
    assert ("collective defence", "North Atlantic Treaty", "1949-04-04") in seen
    dates = [str(r["date"]) for r in rows if r["date"]]
    assert dates == sorted(dates)
    assert all(r["date"] for r in rows)  # every point can go on the timeline


def test_the_event_index_agrees_with_each_events_page(store: OxigraphStore) -> None:
    # event_index.rq (one query for all) and event_profile.rq (one event) are shaped
    # differently for the planner; on every event they must say the same
    from ingest.explore.events import event_index

    rows = event_index(store)
    assert len(rows) > 10
    for row in rows:
        detail = event_detail(store, str(row["event"]), with_evidence=False)
        assert detail is not None, row["event"]
        assert row["type"] == detail.type, row["event"]
        assert row["dateText"] == detail.date, row["event"]
        assert set(row["responsibleIris"]) == {str(r["entity"]) for r in detail.responsible}
        assert set(row["targetIris"]) == {str(r["entity"]) for r in detail.targets}
        assert row["reactions"] == len(detail.reactions), row["event"]
        assert row["curatedSources"] == sorted(detail.sources), row["event"]
        assert row["reports"] == len(detail.reported_in), row["event"]


def test_the_pages_of_the_event_list_are_the_whole_list_in_order(store: OxigraphStore) -> None:
    from ingest.explore.events import event_page

    everything = event_list(store)
    first = event_page(store, 1, None, (), 4)
    assert first.total == len(everything) and first.pages == -(-len(everything) // 4) > 2
    paged = [
        row for n in range(1, first.pages + 1) for row in event_page(store, n, None, (), 4).rows
    ]
    # one query per page, the same order and the same facts as reading every event at once
    assert [r["event"] for r in paged] == [r["event"] for r in everything]
    for row, whole in zip(paged, everything, strict=True):
        for key in ("type", "dateText", "responsibleIris", "targetIris", "reactions", "reports"):
            assert row[key] == whole[key], (row["event"], key)
    # a page past the end (the graph shrank) is the last page; the positions say which events
    last = event_page(store, 999, None, (), 4)
    assert last.page == first.pages and last.first == 4 * (first.pages - 1) + 1
    assert [r["event"] for r in last.rows] == [r["event"] for r in everything[last.first - 1 :]]
    assert set(first.types) == {str(r["type"]) for r in everything}


def test_a_page_of_one_type_holds_only_that_type(store: OxigraphStore) -> None:
    from ingest.explore.events import event_page

    found = event_page(store, 1, None, ("ASAT test",))
    wanted = [r["event"] for r in event_list(store) if r["type"] == "ASAT test"]
    assert wanted and [r["event"] for r in found.rows] == wanted and found.total == len(wanted)
    assert event_page(store, 1, None, ("no such type",)).rows == []


def test_the_threats_timeline_pages_hold_every_incident(store: OxigraphStore) -> None:
    from ingest.explore.threats import incident_page

    found = incident_page(store, 1)
    every = {str(r["event"]): r for r in incidents(store)}
    assert KA_SAT_ATTACK in every and found.total == len(every)
    assert {str(r["event"]) for r in found.rows} == set(every)
    dates = [str(r["dateText"]) for r in found.rows if r["dateText"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert all(r["sources"] == every[str(r["event"])]["reports"] for r in found.rows)
