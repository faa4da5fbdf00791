"""Evidence and review in a real browser: `streamlit run app.py` driven by headless Chromium.

An analyst follows an asserted fact from an actor page to its document, where the sentence is
highlighted; and accepts a fact held for review on the Review page, after which the store
(opened read-only beside the running app) holds the reviewer's decision and the fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_app_evidence import build_review_store
from test_browser import BUSY_PROBE, CHROMIUM, CHROMIUM_ARGS, shoot, start_app, wait_idle

from ingest.iri import expand, review_graph
from ingest.review import decisions
from ingest.store import OxigraphStore
from ingest.vocab import SKG

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store_dir(app_store_factory) -> Path:  # type: ignore[no-untyped-def]
    return build_review_store(app_store_factory, "browser-evidence-store")


@pytest.fixture(scope="module")
def app_url(store_dir: Path) -> Iterator[str]:
    process, base = start_app(store_dir)
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-evidence-screenshots")


@pytest.fixture(scope="module")
def browser_page(app_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.add_init_script(BUSY_PROBE)
        yield page
        browser.close()


def test_follow_an_asserted_fact_to_its_highlighted_sentence(  # type: ignore[no-untyped-def]
    browser_page, app_url: str, shots: Path
) -> None:
    page = browser_page
    page.goto(app_url + "/actors?entity=skgid:actor/russia")
    wait_idle(page, "Facts about it")
    heading = page.locator("summary").filter(
        has_text=re.compile("has capability.*direct-ascent ASAT")
    )
    fact = page.locator("details").filter(has=heading).first
    heading.first.click()
    fact.get_by_text("Russia conducted a direct-ascent", exact=False).first.wait_for()
    wait_idle(page)
    link = fact.get_by_role("link", name=re.compile(r"^Allies condemn Russia")).first
    link.scroll_into_view_if_needed()
    # Streamlit's page links route inside the page (no load event); a click that lands while
    # the page is still settling after a full-suite run can be lost, so it gets one retry,
    # and the href must be the highlighted-sentence link either way.
    assert re.search(r"start=\d+.*end=\d+", link.get_attribute("href") or "")
    for attempt in range(2):
        link.click()
        try:
            page.wait_for_url(
                re.compile(r"/doctrine\?.*start="), timeout=30_000, wait_until="commit"
            )
            break
        except Exception:
            shoot(page, shots, f"sentence-link-not-followed-{attempt}")
            if attempt:
                raise
            wait_idle(page)
    wait_idle(page, "The linked sentence is highlighted")
    assert re.search(r"[?&]doc=skgid%3Asource%2F|[?&]doc=skgid:source/", page.url), page.url
    assert "start=" in page.url and "end=" in page.url
    mark = page.locator("mark#spacekg-sentence")
    mark.wait_for(timeout=60_000)
    assert mark.inner_text().startswith("On 15 November 2021, Russia conducted a direct-ascent")
    # the page scrolled to it: the sentence is inside the window
    page.wait_for_function(
        """() => { const r = document.getElementById('spacekg-sentence').getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=30_000,
    )
    shoot(page, shots, "document-sentence")


def test_accept_a_review_fact_on_the_review_page(  # type: ignore[no-untyped-def]
    browser_page, app_url: str, store_dir: Path, shots: Path
) -> None:
    page = browser_page
    page.goto(app_url + "/review")
    wait_idle(page, "Waiting for review")
    name = page.get_by_role("textbox", name="Reviewer name")
    name.fill("B. Browser")
    name.press("Enter")
    wait_idle(page)
    item = (
        page.locator('[class*="st-key-review_item_"]')
        .filter(has_text="operates")
        .filter(has_text="Yaogan-30")
    )
    item.first.get_by_role("button", name="Accept").click()
    wait_idle(page, "Accepted by B. Browser")
    shoot(page, shots, "review-accepted")

    china, yaogan = expand("skgid:actor/china"), expand("skgid:asset/yaogan-30-satellite")
    store = OxigraphStore(store_dir, read_only=True)
    try:
        (decision,) = [d for d in decisions(store) if d.predicate == SKG.operates]
        assert (decision.subject, decision.object) == (china, yaogan)
        assert (decision.verdict, decision.reviewer) == ("accepted", "B. Browser")
        assert (china, SKG.operates, yaogan) in store.graph(review_graph(decision.decision))
    finally:
        store.close()
