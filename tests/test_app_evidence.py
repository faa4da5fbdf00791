"""Evidence in the app: every fact with where it comes from, and review in the app (AppTest).

The store holds the reference data, the fixture documents ingested with the real model, and a
short text whose facts all wait for review. Each test asks an analyst's question and follows
the links the pages draw, as a user would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, TIMEOUT, open_page, shown, texts

from ingest.config import Settings
from ingest.load import load_text
from ingest.pipeline import ingest_sources
from ingest.store import OxigraphStore

REVIEW_TEXT = "China operates the Yaogan-30 satellites."


def build_review_store(app_store_factory, name: str) -> Path:  # type: ignore[no-untyped-def]
    """The app fixture store plus one text whose facts all wait for review."""
    path = app_store_factory(name)
    store = OxigraphStore(path)
    try:
        source = load_text(REVIEW_TEXT, title="Review test", date="2021-11-16")
        ingest_sources(store, [source], replace(Settings.from_env(), min_confidence=1.0))
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def evidence_store(app_store_factory) -> Path:  # type: ignore[no-untyped-def]
    return build_review_store(app_store_factory, "app-evidence-store")


@pytest.fixture
def app(evidence_store: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("SPACEKG_STORE", str(evidence_store))
    monkeypatch.delenv("SPACEKG_ENDPOINT", raising=False)
    yield fresh()


def fresh() -> AppTest:
    """A new session: `?page=` opens a page only in a session that has not opened one yet."""
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def links(at: AppTest) -> dict[str, dict[str, list[str]]]:
    """Page links by the label a user reads -> their query parameters."""
    return {shown(el.proto.label): parse_qs(el.proto.query_string) for el in at.get("page_link")}


def follow(at: AppTest, label_start: str) -> AppTest:
    """Open the page a link whose label starts with `label_start` points to (actors)."""
    matches = [params for label, params in links(at).items() if label.startswith(label_start)]
    assert matches, f"no link {label_start!r} in {sorted(links(at))}"
    at.query_params.clear()
    return open_page(at, "actors", entity=matches[0]["entity"][0])


def expander(at: AppTest, heading_part: str):  # type: ignore[no-untyped-def]
    found = [e for e in at.expander if heading_part in shown(e.label)]
    assert found, f"no fact {heading_part!r} in {[shown(e.label) for e in at.expander]}"
    return found[0]


def test_which_nato_bodies_deal_with_space_and_where_is_the_space_centre(app: AppTest) -> None:
    at = open_page(app, "actors", entity="skgid:actor/nato")
    # the bodies NATO set up for space, and the chain of command down to the Space Centre
    assert "curated" in shown(expander(at, "establishes → **NATO Space Centre**").label)
    expander(at, "part of ← **Allied Command Operations**")
    at = follow(at, "Allied Command Operations · open")
    at = follow(at, "Allied Air Command · open")
    space_centre = expander(at, "part of ← **NATO Space Centre**")
    assert "curated" in shown(space_centre.label)
    at = follow(at, "NATO Space Centre · open")
    assert at.title[0].value == "NATO Space Centre"
    located = expander(at, "located in → **Ramstein**")
    parts = "\n".join(shown(m.value) for m in located.markdown)
    assert "Source: [https://ac.nato.int/archive/2020/NATO_Space_Centre_at_AIRCOM]" in parts
    assert "housed at Allied Air Command, Ramstein" in "\n".join(
        shown(c.value) for c in located.caption
    )
    part_of = expander(at, "part of → **Allied Air Command**")
    assert "https://www.act.nato.int/article/space-newest-coe/" in "\n".join(
        shown(m.value) for m in part_of.markdown
    )


def test_who_has_direct_ascent_asat_and_why_do_we_think_so(app: AppTest) -> None:
    at = open_page(app, "threats", capability="skgid:capability/direct-ascent-asat")
    assert "Russia" in texts(at)
    at = open_page(fresh(), "actors", entity="skgid:actor/russia")
    fact = expander(at, "has capability → **direct-ascent ASAT**")
    said = "\n".join(shown(m.value) for m in fact.markdown)
    # curated: the reference data's sources; asserted: the sentence, linked to its document
    assert "https://www.state.gov/russia-conducts-destructive-anti-satellite-missile-test/" in said
    assert "Russia conducted a direct-ascent anti-satellite missile test" in said
    (params,) = [
        parse_qs(el.proto.query_string)
        for el in fact.get("page_link")
        if shown(el.proto.label).startswith("Allies condemn Russia's anti-satellite test")
    ]
    assert params["doc"][0].startswith("skgid:source/")
    start, end = int(params["start"][0]), int(params["end"][0])
    assert end > start

    at = open_page(fresh(), "doctrine", **{k: v[0] for k, v in params.items()})
    marked = [h.proto.body for h in at.get("html") if "spacekg-sentence" in h.proto.body]
    assert marked and (
        '<mark id="spacekg-sentence" style="background: #ffe066; padding: 0 2px">On 15 November '
        "2021, Russia conducted a direct-ascent" in marked[0]
    )


def queue(at: AppTest) -> list[tuple[str, str]]:
    """The Review page's items: (container key, the fact as read, without emphasis)."""
    found = []
    for n in range(100):
        key = f"review_item_{n}"
        try:
            item = at.get_by_key(key)
        except KeyError:
            break
        found.append((key, shown(str(item.markdown[0].value)).replace("*", "")))
    return found


def test_accept_on_the_review_page_asserts_the_fact_with_the_reviewer(app: AppTest) -> None:
    at = open_page(app, "review")
    items = [key for key, said in queue(at) if "China operates Yaogan-30" in said]
    assert items, texts(at)
    at.text_input(key="reviewer_input").input("A. Analyst")
    at.button(key=f"{items[0]}_accept").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Accepted by A. Analyst" in s.value for s in at.success), texts(at)
    decisions = at.get_by_key("review_decisions").dataframe[0].value
    assert decisions.iloc[0]["reviewer"] == "A. Analyst"
    assert (decisions.iloc[0]["subject"], decisions.iloc[0]["verdict"]) == ("China", "accepted")
    assert not [key for key, said in queue(at) if "China operates Yaogan-30" in said]

    at = open_page(fresh(), "actors", entity="skgid:actor/china")
    fact = expander(at, "operates → **Yaogan-30")
    assert "asserted" in shown(fact.label)
    assert "accepted by **A. Analyst** on 20" in "\n".join(shown(m.value) for m in fact.markdown)


def test_overview_evidence_links_open_the_document_at_the_sentence(app: AppTest) -> None:
    at = open_page(app, "overview")
    cell = at.get_by_key("overview_cell_evidence")
    targets = [parse_qs(el.proto.query_string) for el in cell.get("page_link")]
    assert targets, texts(at)
    assert all(t["doc"][0].startswith("skgid:source/") for t in targets)
    assert all(int(t["end"][0]) > int(t["start"][0]) for t in targets)


def test_a_decision_without_a_reviewer_name_is_refused_and_changes_nothing(app: AppTest) -> None:
    at = open_page(app, "review")
    before = queue(at)
    key, _ = before[0]
    at.button(key=f"{key}_reject").click().run()
    assert [e.value for e in at.error] == ["Enter your name as reviewer in the sidebar first."]
    assert queue(at) == before
    tables = at.get_by_key("review_decisions").dataframe
    assert not tables or "rejected" not in set(tables[0].value["verdict"])  # nothing recorded
