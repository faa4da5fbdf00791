"""Four researcher questions, each answered with a source on one page of the app (Streamlit AppTest).

The store holds the reference data, the fixture documents and the North Atlantic Council's
statement on the 2021 Russian test from corpus/ (see `events_store`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.store import OxigraphStore
from tests.test_app import APP, TIMEOUT, frames, open_page, page_links, texts

CORPUS = Path(__file__).parents[1] / "corpus"
NAC_STATEMENT = "Statement by the North Atlantic Council on the recent anti-satellite missile test"


@pytest.fixture(scope="session")
def events_store(app_store_factory) -> Path:  # type: ignore[no-untyped-def]
    from ingest.config import Settings
    from ingest.pipeline import ingest_paths

    path = app_store_factory("events-store")
    store = OxigraphStore(path)
    try:
        report = ingest_paths(
            store, [CORPUS / "nac_statement_russia_asat_2021.md"], Settings.from_env()
        )
        assert not report.failed, [o.error for o in report.failed]
    finally:
        store.close()
    return path


@pytest.fixture
def app(events_store: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("SPACEKG_STORE", str(events_store))
    monkeypatch.delenv("SPACEKG_ENDPOINT", raising=False)
    yield AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def markdown_links(at: AppTest) -> list[str]:
    return [str(el.value) for el in at.markdown if "](http" in str(el.value)]


def chart_rows(at: AppTest, key: str) -> list[dict[str, object]]:
    """The data points of the Altair chart drawn with `key` (see `timeline_chart`)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    (chart,) = at.get_by_key(f"{key}_box").get("vega_lite_chart")
    rows: list[dict[str, object]] = []
    for dataset in chart.proto.datasets:
        rows += convert_arrow_bytes_to_pandas_df(dataset.data.data).to_dict("records")
    return rows


def test_what_nato_said_about_russias_2021_test_and_when(app: AppTest) -> None:
    events = open_page(app, "events")
    listed = frames(events, "events_table")
    test = listed[listed["label"] == "Russian DA-ASAT test 2021-11-15"]
    assert len(test) == 1, listed
    assert test["type"].iloc[0] == "ASAT test" and "Russia" in test["responsible"].iloc[0]

    at = open_page(app, "events", entity="skgid:event/russian-da-asat-test-2021-11-15")
    page = texts(at)
    assert at.title[0].value.replace("\\", "") == "Russian DA-ASAT test 2021-11-15"
    assert "ASAT test · 2021-11-15" in page
    reaction = [m.value.replace("\\", "") for m in at.markdown if "condemned" in str(m.value)]
    assert any("North Atlantic Council" in m and "2021-11-19" in m for m in reaction), reaction
    # the statement it comes from: the sentence and the document, linked
    assert "strongly condemns the Russian Federation" in page
    assert any(NAC_STATEMENT in label for label in page_links(at)), page_links(at)
    assert any("state.gov" in link for link in markdown_links(at))  # a curated source
    assert "Conducted by" in page
    assert any(label.startswith("Russia") for label in page_links(at)), page_links(at)


def test_when_space_became_an_operational_domain_and_in_which_document(app: AppTest) -> None:
    at = open_page(app, "doctrine")
    first = [
        m.value.replace("\\", "")
        for m in at.markdown
        if "operational domain" in str(m.value) and "first declared" in str(m.value)
    ]
    assert first, [m.value for m in at.markdown]
    assert "London Declaration" in first[0] and "2019-12-04" in first[0]
    # its source: the London Declaration's page on nato.int, as the reference data cites it
    assert any("official_texts_171584" in link for link in markdown_links(at))
    assert any(label.startswith("London Declaration") for label in page_links(at))


def test_how_operational_domain_and_article_5_appear_over_time(app: AppTest) -> None:
    at = open_page(app, "doctrine")
    chosen = at.multiselect(key="doctrine_concepts").value
    assert len(chosen) == 2 and any("collective-defence" in c for c in chosen), chosen
    table = frames(at, "doctrine_concept_table")
    by_concept = {
        c: set(zip(g["title"], g["dateText"], strict=True))
        for c, g in table.groupby("conceptLabel")
    }
    assert ("London Declaration", "2019-12-04") in by_concept["operational domain"]
    assert ("North Atlantic Treaty", "1949-04-04") in by_concept["collective defence"]
    assert ("Brussels Summit Communiqué", "2021-06-14") in by_concept["collective defence"]
    # the chart carries the same labelled, dated points for both concepts
    points = chart_rows(at, "doctrine_concept_chart")
    labelled = {(p.get("conceptLabel"), p.get("title")) for p in points}
    assert ("operational domain", "London Declaration") in labelled, points[:3]
    assert ("collective defence", "Brussels Summit Communiqué") in labelled
    # the 1949 treaty would squash 2019-2025: the chart opens on recent years and says so
    assert ("collective defence", "North Atlantic Treaty") not in labelled
    assert "outside these years are hidden" in texts(at)
    years = at.slider(key="doctrine_concept_chart_years")
    years.set_value((1949, years.value[1])).run()
    widened = {
        (p.get("conceptLabel"), p.get("title")) for p in chart_rows(at, "doctrine_concept_chart")
    }
    assert ("collective defence", "North Atlantic Treaty") in widened


def test_what_threatens_ka_sat_and_who_was_behind_the_attack(app: AppTest) -> None:
    at = open_page(app, "threats", target="skgid:asset/ka-sat-network")
    threats = frames(at, "threats_to_target")
    attack = threats[threats["threatLabel"] == "KA-SAT cyber-attack"]
    assert len(attack) >= 1, threats
    behind = set(zip(attack["actorLabel"], attack["actorRole"], strict=True))
    assert ("Russia", "attributed to") in behind
    assert "state.gov/attribution-of-russias-malicious-cyber-activity" in " ".join(
        markdown_links(at)
    )
    incidents = frames(at, "threats_events")
    row = incidents[incidents["label"] == "KA-SAT cyber-attack"]
    assert row["attributedTo"].iloc[0] == "Russia"


def test_an_event_link_opens_the_events_page(app: AppTest) -> None:
    at = open_page(app, "threats")
    links = [
        el.proto for el in at.get("page_link") if "KA-SAT cyber" in el.proto.label.replace("\\", "")
    ]
    assert links and all("events" in link.page for link in links), links


def test_the_events_page_says_how_many_events_it_shows_and_filters_by_type(app: AppTest) -> None:
    at = open_page(app, "events")
    shown = frames(at, "events_table")
    assert f"Events 1–{len(shown)} of {len(shown)}, newest first." in texts(at)
    at.multiselect(key="events_types").select("ASAT test").run()
    assert not at.exception, [e.message for e in at.exception]
    tests = frames(at, "events_table")
    assert 0 < len(tests) < len(shown) and set(tests["type"]) == {"ASAT test"}
    assert f"Events 1–{len(tests)} of {len(tests)}, newest first." in texts(at)
