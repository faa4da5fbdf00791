"""The Ask page's SPARQL console with AppTest on a real store: predeclared prefixes, shared
`?q=` links that reopen and run the query (read-only, with the console's limits), saved
queries, and a view selector that offers what the result supports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, TIMEOUT, frames, open_page

STATES = "SELECT ?x WHERE { ?x a skg:State } ORDER BY ?x"


@pytest.fixture(scope="module")
def ask_store(app_store_factory) -> Path:  # type: ignore[no-untyped-def]
    return app_store_factory("apptest-ask-store")


@pytest.fixture
def app(ask_store: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[AppTest]:
    monkeypatch.setenv("SPACEKG_STORE", str(ask_store))
    monkeypatch.setenv("SPACEKG_SAVED_QUERIES", str(tmp_path / "saved"))
    monkeypatch.delenv("SPACEKG_ENDPOINT", raising=False)
    yield AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def plain(at: AppTest) -> AppTest:
    """AppTest cannot type into the Ace component: use the plain text editor it offers."""
    if not at.toggle(key="console_plain").value:
        at.toggle(key="console_plain").set_value(True).run()
    return at


def run_console(at: AppTest, text: str) -> AppTest:
    plain(at)
    at.text_area(key="console_text").set_value(text)
    at.button(key="console_run").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_a_prefixed_query_runs_without_declaring_prefixes(app: AppTest) -> None:
    at = run_console(open_page(app, "ask"), STATES)
    states = frames(at, "console_result_table")
    assert {"Russia", "France", "Finland"} <= set(states["x"])  # labels, not IRIs
    assert at.query_params["q"] == [STATES] or at.query_params["q"] == STATES  # shareable
    csv = next(d for d in at.get("download_button") if "CSV" in d.proto.label)
    assert csv is not None


def test_a_shared_link_reopens_the_console_and_runs(app: AppTest) -> None:
    at = open_page(app, "ask", q=STATES)
    assert at.session_state["console_query"] == STATES  # in the highlighting editor
    assert plain(at).text_area(key="console_text").value == STATES
    states = frames(at, "console_result_table")
    assert "Russia" in set(states["x"])
    # an update in a link is refused like one typed in the console
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["page"] = "ask"
    at.query_params["q"] = "DELETE WHERE { ?s ?p ?o }"
    at.run()
    assert at.error and "update" in at.error[0].value.lower(), [e.value for e in at.error]


def test_the_view_selector_offers_what_the_result_supports(app: AppTest) -> None:
    at = open_page(app, "ask")
    run_console(
        at,
        "SELECT ?actor ?event ?date WHERE { ?actor skg:conducted ?event . ?event skg:date ?date }"
        " ORDER BY ?date",
    )
    view = at.radio(key="console_view")
    assert list(view.options) == ["table", "graph", "timeline"]
    view.set_value("graph").run()
    assert at.get("graphviz_chart")
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "Russia" in dot
    at.radio(key="console_view").set_value("timeline").run()
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")

    run_console(
        at,
        "SELECT ?type (COUNT(?x) AS ?n) WHERE { ?x a ?type } GROUP BY ?type ORDER BY DESC(?n)"
        " LIMIT 10",
    )
    assert list(at.radio(key="console_view").options) == ["table", "chart"]
    assert at.radio(key="console_view").value == "table"


def test_a_saved_query_outlives_the_session_as_an_rq_file(app: AppTest, tmp_path: Path) -> None:
    at = run_console(open_page(app, "ask"), STATES)
    at.text_input(key="console_save_name").set_value("NATO's states").run()
    at.button(key="console_save").click().run()
    saved = tmp_path / "saved" / "nato-s-states.rq"
    assert saved.read_text(encoding="utf-8") == "#+ summary: NATO's states\n" + STATES
    # a new session (a fresh AppTest) lists it and loads it into the editor
    at = plain(open_page(AppTest.from_file(str(APP), default_timeout=TIMEOUT), "ask"))
    at.text_area(key="console_text").set_value("ASK { ?s ?p ?o }").run()
    at.selectbox(key="console_saved").set_value("NATO's states").run()
    assert at.text_area(key="console_text").value == STATES
    at.button(key="console_saved_delete").click().run()
    assert not saved.exists()
    assert not at.get("selectbox") or all(s.key != "console_saved" for s in at.get("selectbox"))


def test_a_construct_result_is_a_table_of_triples_or_a_graph(app: AppTest) -> None:
    at = run_console(
        open_page(app, "ask"),
        "CONSTRUCT { ?a skg:conducted ?e } WHERE { ?a skg:conducted ?e }",
    )
    assert list(at.radio(key="console_view").options) == ["table", "graph"]
    triples = frames(at, "console_result_table")
    assert "skgid:actor/russia" in set(triples["subject"])
    at.radio(key="console_view").set_value("graph").run()
    assert "conducted" in at.get("graphviz_chart")[0].proto.spec


def test_an_edit_after_a_run_is_not_overwritten_by_the_link(app: AppTest) -> None:
    at = run_console(open_page(app, "ask"), STATES)
    at.text_area(key="console_text").set_value("ASK { ?s ?p ?o }").run()
    assert at.text_area(key="console_text").value == "ASK { ?s ?p ?o }"
    assert frames(at, "console_result_table") is not None  # the last result stays shown
