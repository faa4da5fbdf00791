"""A shared console link and /overview in a real browser, on a fresh `streamlit run app.py`.

The server is started for this module alone, so the `?q=` link is the first thing it serves: no
session state from an earlier visit can fill the console.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from test_browser import BUSY_PROBE, CHROMIUM, CHROMIUM_ARGS, start_app, wait_idle

pytestmark = pytest.mark.browser

CONDUCTED = (
    "SELECT ?actor ?target WHERE { ?actor skg:conducted ?event . ?event skg:targeted ?target }"
    " ORDER BY ?actor"
)


@pytest.fixture(scope="module")
def fresh_app(app_store_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    process, base = start_app(app_store_factory("browser-ask-store"))
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def page(fresh_app: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 2000})
        tab.add_init_script(BUSY_PROBE)
        yield tab
        browser.close()


def test_a_shared_query_link_opens_with_its_results(page, fresh_app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{fresh_app}/ask?q={quote(CONDUCTED)}")
    page.get_by_role("tab", name="SPARQL console").click()
    wait_idle(page, "rows")
    editor = ace_editor(page)
    assert " ".join((editor.locator(".ace_content").text_content() or "").split()) == CONDUCTED
    # the table is drawn on a canvas: read the result in the graph view, whose labels are text
    page.get_by_text("graph", exact=True).click()
    wait_idle(page)
    chart = page.locator('[data-testid="stGraphVizChart"]')
    chart.first.wait_for(timeout=60_000)
    drawn = chart.first.text_content() or ""
    assert "Russia" in drawn and "Kosmos 1408" in drawn, drawn
    assert not page.locator('[data-testid="stException"]').count()
    assert "q=" in page.url  # the address bar still carries the query


def ace_editor(page):  # type: ignore[no-untyped-def]
    """The console's Ace editor, inside the component's iframe, once it has drawn its text."""
    frame = page.frame_locator('iframe[title="streamlit_ace.streamlit_ace"]').first
    frame.locator(".ace_content .ace_line").first.wait_for(timeout=60_000)
    return frame


def test_the_editor_highlights_sparql_and_what_is_typed_runs(page, fresh_app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{fresh_app}/ask")
    page.get_by_role("tab", name="SPARQL console").click()
    wait_idle(page)
    editor = ace_editor(page)
    editor.locator(".ace_text-input").focus()
    page.keyboard.press("Control+A")
    # pasted, as one input event: typed brackets would be auto-closed by the editor
    page.keyboard.insert_text(
        "ASK { VALUES ?state { <https://w3id.org/spacekg/id/actor/russia> } ?state a skg:State }"
    )
    # tokens are coloured: Ace's SPARQL mode gives variables and keywords classes of their own
    text_layer = editor.locator(".ace_text-layer").first
    text_layer.locator(".ace_variable", has_text="?state").first.wait_for(timeout=30_000)
    assert text_layer.locator(".ace_keyword", has_text="VALUES").count()
    page.wait_for_timeout(1_000)  # the editor sends its text after 200 ms without typing
    wait_idle(page)
    page.get_by_role("button", name="Run").click()
    wait_idle(page, "Answer")
    metric = page.locator('[data-testid="stMetricValue"]').first
    assert metric.inner_text().strip() == "yes"
    assert not page.locator('[data-testid="stException"]').count()


def test_overview_has_its_own_path(page, fresh_app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{fresh_app}/overview")
    wait_idle(page, "Counterspace capabilities by actor")
    assert page.locator("h1").first.inner_text().strip()
    assert not page.get_by_text("Page not found").count()
    assert page.url.rstrip("/").endswith("/overview")
