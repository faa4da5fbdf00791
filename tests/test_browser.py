"""The real app in a real browser: `streamlit run app.py` driven by Debian's headless Chromium.

Each page is opened by URL and checked for visible content; a document is added through the Add
page and its new entity is then found with the search box. Screenshots of what the test saw are
saved in pytest's temporary folder (`browser-screenshots*`) to debug a failure; the README's
screenshots, taken on the corpus graph, come from `benchmarks/app.py --screenshots`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_TIMEOUT_MS = 120_000

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(store_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`streamlit run app.py` on a free local port; returns the process and its base URL."""
    port = _free_port()
    env = {**os.environ, "SPACEKG_STORE": str(store_dir)}
    env.pop("SPACEKG_ENDPOINT", None)
    streamlit = Path(sys.executable).with_name("streamlit")
    process = subprocess.Popen(
        [
            str(streamlit),
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/_stcore/health", timeout=1).ok:
                return process, base
        except requests.ConnectionError:
            pass
        if process.poll() is not None:
            stderr = process.stderr.read() if process.stderr else b""
            raise RuntimeError(f"streamlit exited: {stderr.decode(errors='replace')[-2000:]}")
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("streamlit did not start within 60 s")


# Installed in every page: remembers when Streamlit last showed its running indicator or a
# skeleton, so a test can wait for a quiet spell (the indicator appears after a short delay).
BUSY_PROBE = """
window.__lastBusy = 0;
setInterval(() => {
  if (document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')) {
    window.__lastBusy = performance.now();
  }
}, 25);
"""


def wait_idle(page, text: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Wait for `text` to be visible and for Streamlit to finish running the script."""
    if text is not None:
        page.get_by_text(text, exact=False).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(
        "() => performance.now() - window.__lastBusy > 1000", timeout=PAGE_TIMEOUT_MS
    )


def shoot(page, folder: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots of a run go (kept by pytest for the last few runs)."""
    return tmp_path_factory.mktemp("browser-screenshots")


@pytest.fixture(scope="module")
def app_url(app_store_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    process, base = start_app(app_store_factory("browser-store"))
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser_page(app_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        page.add_init_script(BUSY_PROBE)
        yield page
        browser.close()


def test_every_page_renders(browser_page, app_url: str, shots: Path) -> None:  # type: ignore[no-untyped-def]
    """Every page draws without an error and asks nothing of another server (no fonts, icons
    or scripts fetched at run time)."""
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    checks = [
        ("overview", "/", "Counterspace capabilities by actor"),
        ("actors", "/actors", "Open an actor's page"),
        ("actor-russia", "/actors?entity=skgid:actor/russia", "Facts about it"),
        ("threats", "/threats", "ASAT tests and attacks"),
        ("threats-ka-sat", "/threats?target=skgid:asset/ka-sat-network", "behind it: Russia"),
        ("events", "/events", "Open an event"),
        (
            "event-russian-test",
            "/events?entity=skgid:event/russian-da-asat-test-2021-11-15",
            "Reactions",
        ),
        ("doctrine", "/doctrine", "Documents over time"),
        ("ask", "/ask", "Run query"),
    ]
    for name, path, text in checks:
        page.goto(app_url + path)
        wait_idle(page, text)
        assert page.get_by_text(text).first.is_visible()
        assert not page.locator('[data-testid="stException"]').count()
        shoot(page, shots, name)
    page.goto(app_url + "/actors?entity=skgid:actor/russia")
    wait_idle(page, "Facts about it")
    page.get_by_text("conducted", exact=False).first.click()
    wait_idle(page, "Russia conducted a direct-ascent")
    elsewhere = [u for u in requested if not u.startswith((app_url, "data:", "blob:", "about:"))]
    assert not elsewhere, elsewhere


def test_the_neighbourhood_graph_is_drawn_and_pannable(browser_page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    """The actor page's graph is a vis-network canvas in the component's frame (served by the
    app, nothing fetched from elsewhere), with the count of what it shows."""
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(app_url + "/actors?entity=skgid:actor/russia")
    wait_idle(page, "Facts about it")
    caption = page.get_by_text("click a node to expand it", exact=False).first
    caption.scroll_into_view_if_needed()
    assert caption.is_visible()
    assert "Showing" in caption.inner_text()
    frame = page.frame_locator('iframe[title*="agraph"]').first
    canvas = frame.locator("canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    elsewhere = [u for u in requested if not u.startswith((app_url, "data:", "blob:", "about:"))]
    assert not elsewhere, elsewhere


def test_a_row_of_a_multi_entity_table_opens_every_entity_it_names(
    browser_page, app_url: str
) -> None:  # type: ignore[no-untyped-def]
    """A cell holds one link at most: selecting an incident's row lists its actor and its
    target as links, and the target's link opens the target's page."""
    page = browser_page
    page.goto(app_url + "/threats")
    wait_idle(page, "Select a row")
    container = page.locator(".st-key-threats_events")
    # the table's CSV holds the same rows in the same order: find the row by its target's label
    with page.expect_download() as download:
        container.get_by_role("button", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    wanted = [n for n, row in enumerate(rows) if "Kosmos 1408" in row.get("targets", "")]
    assert wanted, [row.get("event") for row in rows]
    grid = container.locator("[data-testid='stDataFrame']").first
    row_height = 35  # Streamlit's data grid: a header row, then rows of the same height
    named: list[str] = []
    # the grid is a canvas whose layout settles late on a busy machine (the whole suite
    # running beside it): a click can land a row off or before the grid takes clicks, so the
    # rows next to the expected one are tried too, nearest first, and the grid is measured
    # again for a second and third round
    for attempt in range(3):
        page.wait_for_timeout(300 + 1000 * attempt)
        grid.scroll_into_view_if_needed()
        # scroll the grid's own scroller so the row is the first one shown (as far as it goes)
        scrolled = grid.locator(".dvn-scroller").first.evaluate(
            "(e, y) => { e.scrollTop = y; return e.scrollTop; }", wanted[0] * row_height
        )
        page.wait_for_timeout(300)
        box = grid.bounding_box()
        assert box is not None
        for n in sorted(range(len(rows)), key=lambda n: abs(n - wanted[0]))[:5]:
            y = box["y"] + row_height * (n + 1) - scrolled + row_height / 2
            if not box["y"] + row_height < y < box["y"] + box["height"]:
                continue
            page.mouse.click(box["x"] + 18, y)
            wait_idle(page, "In this row:")
            # a page link's text is its icon's name, then the label
            named = [a.inner_text().split("\n")[-1].strip() for a in container.locator("a").all()]
            if "Kosmos 1408" in named:
                break
        if "Kosmos 1408" in named:
            break
    assert {"Russia", "Kosmos 1408"} <= set(named), named
    container.locator("a", has_text="Kosmos 1408").first.click()
    # the Threats page is idle before the click, so wait for the new page's heading, not for idle
    heading = page.locator("h1", has_text="Kosmos 1408").first
    heading.wait_for(timeout=PAGE_TIMEOUT_MS)
    wait_idle(page)
    assert page.locator("h1").first.inner_text().strip().startswith("Kosmos 1408")


def test_shared_link_with_page_param_opens_the_actor(browser_page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(app_url + "/?page=actors&entity=skgid:actor/russia")
    wait_idle(page, "Facts about it")
    assert page.locator("h1").first.inner_text().strip().startswith("Russia")


def test_add_document_then_find_its_entity(browser_page, app_url: str, shots: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(app_url + "/add")
    wait_idle(page, "Add a document")
    page.get_by_label("Document text").fill(
        "On 11 January 2007 China conducted a direct-ascent anti-satellite missile test that "
        "destroyed the Fengyun-1C weather satellite."
    )
    page.get_by_label("Title").fill("China's 2007 ASAT test")
    page.get_by_label("Date (YYYY, YYYY-MM or YYYY-MM-DD)").fill("2007-01-12")
    page.get_by_role("button", name="Preview").click()
    wait_idle(page, "Proposed facts")
    shoot(page, shots, "add")
    page.get_by_role("button", name="Commit").click()
    wait_idle(page, "Added to the graph")

    page.goto(app_url + "/")
    wait_idle(page, "Find an entity")
    search = page.get_by_label("Search labels and alternative names")
    search.fill("Fengyun")
    search.press("Enter")
    wait_idle(page, "Fengyun")
    # the new satellite's own link (the test event that destroyed it may match too)
    page.get_by_role("link", name=re.compile(r"^Fengyun")).first.click()
    wait_idle(page, "Facts pointing to it")
    assert "Fengyun" in page.locator("h1").first.inner_text()
