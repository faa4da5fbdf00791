"""The explorer app, page by page, with Streamlit's AppTest on a real store built by the pipeline.

The store holds the ontology, the curated reference data and the fixture documents ingested with
the real spaCy model (see `app_store_factory` in conftest.py). Pages are opened the way a shared
link opens them: `?page=<page>&entity=<CURIE>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).parents[1] / "app.py"
TIMEOUT = 180
RUSSIA = "skgid:actor/russia"
ASAT_SENTENCE = "Russia conducted a direct-ascent anti-satellite missile test"


@pytest.fixture(scope="session")
def app_store(app_store_factory) -> Path:  # type: ignore[no-untyped-def]
    return app_store_factory("apptest-store")


@pytest.fixture
def app(app_store: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("SPACEKG_STORE", str(app_store))
    monkeypatch.delenv("SPACEKG_ENDPOINT", raising=False)
    yield AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def open_page(at: AppTest, page: str, **params: str) -> AppTest:
    at.query_params["page"] = page
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def shown(markdown: str) -> str:
    """Markdown text as the user reads it: the app escapes untrusted labels, the page unescapes."""
    return re.sub(r"\\(.)", r"\1", markdown)


def page_links(at: AppTest) -> list[str]:
    return [shown(el.proto.label) for el in at.get("page_link")]


def texts(at: AppTest) -> str:
    """Every visible text of the page, tables included, as one string to search."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "text"):
        parts += [shown(str(el.value)) for el in getattr(at, kind)]
    parts += [shown(str(el.label)) for el in at.expander]
    parts += [el.value.to_string() for el in at.dataframe]
    parts += page_links(at)
    parts += [el.proto.body for el in at.get("html")]
    return "\n".join(parts)


def frames(at: AppTest, key: str):  # type: ignore[no-untyped-def]
    """The table the app drew in its container `key` (see `table` in app.py)."""
    tables = at.get_by_key(key).dataframe
    assert tables, f"the table {key} is empty"
    return tables[0].value.map(link_text)


LINK_CELL = re.compile(r"^[a-z]+\?[^#]*#(.*)$", re.S)


def link_text(cell: object) -> object:
    """What a link cell shows (`events?entity=...#label` -> label); other cells as they are."""
    match = LINK_CELL.match(cell) if isinstance(cell, str) else None
    return match.group(1) if match else cell


def test_overview_counts_matrix_and_search(app: AppTest) -> None:
    at = open_page(app, "overview")
    metrics = {m.label: int(m.value.replace(",", "")) for m in at.metric}
    assert metrics["Actors"] > 10  # curated actors: NATO, its members, commands...
    assert metrics["Documents"] >= 2
    assert metrics["Facts with evidence"] > 0
    assert metrics["Threat types"] >= 1
    assert "Allies condemn Russia's anti-satellite test" in "\n".join(page_links(at))

    cell = at.selectbox(key="overview_matrix_cell")
    assert cell.options, "the capability matrix has no cells"
    russia_cells = [o for o in cell.options if o.startswith("Russia")]
    assert russia_cells, cell.options
    cell.select_index(cell.options.index(russia_cells[0])).run()
    assert "jamming and cyber capabilities" in texts(at)  # the cell's evidence sentence
    at.text_input(key="overview_search").set_value("kosmos").run()
    links = page_links(at)
    assert any("Kosmos 1408" in label for label in links), links


def test_russia_actor_page_lists_asat_test_with_evidence(app: AppTest) -> None:
    at = open_page(app, "actors", entity=RUSSIA)
    assert at.title[0].value == "Russia"
    conducted = [e for e in at.expander if "conducted" in e.label]
    assert conducted, [e.label for e in at.expander]
    page = texts(at)
    assert ASAT_SENTENCE in page
    assert "Allies condemn Russia's anti-satellite test" in page  # the evidence's source
    assert "2021-11-19" in page  # its date
    assert "asserted" in page
    # the neighbourhood graph and the timeline are drawn
    graphs = [c for c in at.get("component_instance") if "agraph" in c.proto.component_name]
    assert graphs, "the interactive neighbourhood graph is drawn"
    assert "2021-11-15" in page or "2021-11" in page


def test_actor_filters_by_type_and_alliance(app: AppTest) -> None:
    at = open_page(app, "actors")
    everyone = frames(at, "actors_table")
    at.selectbox(key="actors_type").set_value("State").run()
    states = frames(at, "actors_table")
    assert {"Russia", "Finland", "France"} <= set(states["label"])
    assert {t.lower() for t in states["type"]} == {"state"}
    assert len(states) < len(everyone)

    members = at.selectbox(key="actors_member_of")
    members.select_index(members.options.index("NATO")).run()
    allies = frames(at, "actors_table")
    assert {"Finland", "France"} <= set(allies["label"])  # Finland: curated accession 2023
    assert "Russia" not in set(allies["label"])
    assert {t.lower() for t in allies["type"]} == {"state"}


def test_threats_page_shows_capabilities_and_the_asat_test(app: AppTest) -> None:
    at = open_page(app, "threats")
    capabilities = frames(at, "threats_table")
    assert "direct-ascent ASAT" in set(capabilities["label"])  # curated capability type
    events = frames(at, "threats_events")
    test = events[events["targets"].str.contains("Kosmos 1408")]
    assert len(test) == 1, events
    assert "Russia" in test["conductedBy"].iloc[0] and test["dateText"].iloc[0] == "2021-11-15"


def test_a_capability_shows_who_has_it(app: AppTest) -> None:
    # the Finland fixture: "Russia and China develop jamming and cyber capabilities"
    at = open_page(app, "threats", capability="skgid:capability/jamming")
    holders = frames(at, "threats_holders")
    assert {"Russia", "China"} <= set(holders["actorLabel"])
    assert any("asserted" in source for source in holders["source"])


def test_doctrine_page_and_document_page(app: AppTest) -> None:
    at = open_page(app, "doctrine")
    documents = frames(at, "doctrine_table")
    assert "Allies condemn Russia's anti-satellite test" in set(documents["title"])
    concept = at.multiselect(key="doctrine_concepts")
    concept.set_value(["https://w3id.org/spacekg/id/concept/collective-defence"]).run()
    across = frames(at, "doctrine_concept_table")
    assert "North Atlantic Treaty" in set(across["title"])  # curated: Article 5
    opener = at.selectbox(key="doctrine_open")
    choice = next(i for i, o in enumerate(opener.options) if "Allies condemn" in o)
    opener.select_index(choice).run()
    doc_ref = at.query_params["doc"]
    doc_ref = doc_ref if isinstance(doc_ref, str) else doc_ref[0]
    assert doc_ref.startswith("skgid:source/")
    at = open_page(app, "doctrine", doc=doc_ref)
    assert at.title[0].value.startswith("Allies condemn")
    page = texts(at)
    assert "Kosmos 1408" in page
    # the language model runs on request only: a first visit does not wait for it
    assert '<mark class="entity"' not in page
    at.toggle(key="document_entities").set_value(True).run()
    assert '<mark class="entity"' in texts(at)  # displaCy highlighting
    facts = frames(at, "document_facts")
    assert "conducted" in set(facts["property"])
    # curated individuals carry their reference-data labels, not their IRI slugs
    conducted = facts[facts["property"] == "conducted"]
    assert "Russia" in set(conducted["subjectLabel"]), conducted


def test_a_link_to_a_missing_document_says_so(app: AppTest) -> None:
    app.query_params["page"] = "doctrine"
    app.query_params["doc"] = "skgid:source/0000000000000000"
    app.run()
    assert not app.exception
    assert app.error and "no document skgid:source/0000000000000000" in app.error[0].value


def test_ask_runs_a_library_query_and_the_console(app: AppTest) -> None:
    at = open_page(app, "ask")
    at.selectbox(key="ask_query").set_value("actor_profile").run()
    actor = at.selectbox(key="ask_actor_profile_actor")
    actor.set_value("https://w3id.org/spacekg/id/actor/russia")
    at.button(key="ask_run_actor_profile").click().run()
    assert not at.exception
    result = frames(at, "ask_result_table")
    assert "skg:conducted" in set(result["property"])
    assert at.get("download_button")

    at.toggle(key="console_plain").set_value(True).run()
    at.text_area(key="console_text").set_value("SELECT ?s WHERE { ?s ?p }").run()
    at.button(key="console_run").click().run()
    assert at.error and "line" in at.error[0].value.lower()


def test_add_document_preview_commit_then_the_fact_appears(app: AppTest) -> None:
    at = open_page(app, "add")
    at.text_area(key="add_text").set_value(
        "On 11 January 2007 China conducted a direct-ascent anti-satellite missile test that "
        "destroyed the Fengyun-1C weather satellite."
    )
    at.text_input(key="add_title").set_value("China's 2007 ASAT test")
    at.text_input(key="add_date").set_value("2007-01-12")
    at.button(key="add_preview").click().run()
    assert not at.exception, [e.message for e in at.exception]
    facts = frames(at, "add_facts")
    assert "conducted" in set(facts["property"])
    assert "China" in set(facts[facts["property"] == "conducted"]["subject"])
    # the document itself is named by its title, not its content id
    assert not any(re.fullmatch(r"[0-9a-f]{16}", str(s)) for s in facts["subject"]), facts
    assert "Preview: China's 2007 ASAT test" in texts(at)
    at.button(key="add_commit").click().run()
    assert "Added to the graph: China's 2007 ASAT test" in texts(at)

    at = open_page(
        AppTest.from_file(str(APP), default_timeout=TIMEOUT), "actors", entity="skgid:actor/china"
    )
    assert "China's 2007 ASAT test" in texts(at)
    assert "Fengyun" in texts(at)


def test_no_pages_folder_beside_the_app() -> None:
    """A `pages/` folder beside app.py makes Streamlit run its older multipage layout on the first
    run of a process: a shared link such as /actors opened first would show a blank page."""
    assert not (APP.parent / "pages").exists()
