"""Time from request to fully rendered page for each app page, in headless Chromium.

Two graphs: the corpus (corpus/ ingested into a temporary store, or --store DIR) and a synthetic
graph of about 1M triples shaped like ours, bulk-loaded with Oxigraph. For each page the app is
asked by URL; the clock stops when the page's own element is visible and Streamlit's running
indicator is gone. "first" is the first visit after start-up (cold caches), "warm" the median
of the next visits (cached view data, still a full page run). On the corpus graph the page
scripts are also timed alone, without a browser (Streamlit's AppTest: "script" rows).

    .venv/bin/python benchmarks/app.py [--store data/store] [--triples 1000000] [--repeat 3]
        [--graphs corpus,synthetic] [--screenshots docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import documents_for, synthetic_nquads  # noqa: E402

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
# page, path, text that appears when the page has rendered
PAGES = [
    ("Overview", "/", "Latest documents"),
    ("Actors", "/actors", "Open an actor's page"),
    ("Actor page", "/actors?entity={actor}", "Timeline"),
    ("Threats", "/threats", "ASAT tests and attacks"),
    ("Events", "/events", "Open an event"),
    ("Doctrine", "/doctrine", "Doctrine concepts over time"),
    ("Document page", "/doctrine?doc={doc}", "Facts drawn from it"),
    ("Ask", "/ask", "Run query"),
    ("Review", "/review", "Recent decisions"),
    ("Add document", "/add", "Remove a document"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_corpus_store(target: Path) -> Path:
    from ingest.config import CORPUS_DIR, Settings
    from ingest.pipeline import ingest_paths
    from ingest.store import OxigraphStore

    store = OxigraphStore(target)
    try:
        store.ensure_reference()
        report = ingest_paths(store, [CORPUS_DIR], Settings.from_env())
        if report.failed:
            print("failed:", [o.error for o in report.failed], file=sys.stderr)
    finally:
        store.close()
    return target


def build_synthetic_store(target: Path, triples: int) -> Path:
    from ingest.store import OxigraphStore

    store = OxigraphStore(target)
    try:
        store.ensure_reference()
        store.bulk_load(synthetic_nquads(documents_for(triples)))
    finally:
        store.close()
    return target


def sample_refs(store_dir: Path) -> dict[str, str]:
    """An actor with facts and an ingested document to open on the detail pages."""
    from ingest.config import ID_NS
    from ingest.explore import actors, terms
    from ingest.pipeline import list_documents
    from ingest.store import OxigraphStore

    store = OxigraphStore(store_dir)
    try:
        docs = list_documents(store)
        doc = terms.curie(docs[0].iri) if docs else "skgid:source/none"
        names = ["russia", "synthetic-state-1", "nato"]
        actor = next(
            (f"skgid:actor/{n}" for n in names if actors.entity_facts(store, ID_NS + "actor/" + n)),
            "skgid:actor/nato",
        )
        triples = sum(1 for _ in store.raw.quads_for_pattern(None, None, None, None))
    finally:
        store.close()
    return {"actor": actor, "doc": doc, "triples": str(triples)}


def start_app(store_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "SPACEKG_STORE": str(store_dir)}
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("streamlit")),
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
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(base + "/_stcore/health", timeout=1).ok:
                return process, base
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("streamlit did not start")


# Installed in every page: remembers when Streamlit last showed its running indicator or a
# skeleton (performance.now() counts from the start of the navigation).
BUSY_PROBE = """
window.__lastBusy = 0;
setInterval(() => {
  if (document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')) {
    window.__lastBusy = performance.now();
  }
}, 25);
"""
QUIET_MS = 800
TIMEOUT_MS = 120_000


def time_page(page, url: str, text: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds from navigation until `text` shows and Streamlit's last run has ended."""
    page.goto(url)
    page.get_by_text(text, exact=False).first.wait_for(timeout=TIMEOUT_MS)
    seen = page.evaluate("performance.now()")
    # the indicator shows up after a short delay: wait for a quiet spell, then read its end
    page.wait_for_function(
        f"() => performance.now() - window.__lastBusy > {QUIET_MS}", timeout=TIMEOUT_MS
    )
    return max(seen, page.evaluate("window.__lastBusy")) / 1000


def measure(store_dir: Path, label: str, repeat: int) -> list[tuple[str, str, float, float]]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    refs = sample_refs(store_dir)
    process, base = start_app(store_dir)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.add_init_script(BUSY_PROBE)
            # The first request opens the store and loads the reference data check: not a page.
            time_page(page, base + "/ask", "Run query")
            for name, path, text in PAGES:
                url = base + path.format(**refs)
                try:
                    first = time_page(page, url, text)
                    warm = [time_page(page, url, text) for _ in range(repeat)]
                except PlaywrightTimeout:
                    print(f"{label} {name}: no render within the time limit", file=sys.stderr)
                    first, warm = float("nan"), [float("nan")]
                print(f"{label} {name}: {first:.2f} s, then {warm}", file=sys.stderr)
                rows.append(
                    (
                        f"{label} ({int(refs['triples']):,} triples)",
                        name,
                        first,
                        statistics.median(warm),
                    )
                )
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return rows


# name, path, text that shows when rendered: one full-page screenshot per page for the README
SCREENSHOTS = [
    ("overview", "/", "Latest documents"),
    ("actors", "/actors", "Open an actor's page"),
    ("actor-russia", "/actors?entity=skgid:actor/russia", "Timeline"),
    ("threats", "/threats?capability=skgid:capability/direct-ascent-asat", "What it threatens"),
    ("doctrine", "/doctrine", "Doctrine concepts over time"),
    ("document", "/doctrine?doc={doc}", "Facts drawn from it"),
    ("events", "/events", "Open an event"),
    ("event", "/events?entity=skgid:event/russian-da-asat-test-2021-11-15", "Sources"),
    ("threats-ka-sat", "/threats?target=skgid:asset/ka-sat-network", "behind it"),
    ("review", "/review", "Recent decisions"),
]
SAMPLE_TEXT = (
    "On 11 January 2007 China conducted a direct-ascent anti-satellite missile test that "
    "destroyed the Fengyun-1C weather satellite."
)


def full_page_shot(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Streamlit scrolls inside its main block: grow the viewport to it, then shoot."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(900, int(height))})
    page.wait_for_timeout(800)  # charts re-measure after a resize
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})


def take_screenshots(store_dir: Path, out: Path) -> None:
    """One screenshot per page (and the Ask and Add pages in use) on a copy of the store."""
    from playwright.sync_api import sync_playwright

    refs = sample_refs(store_dir)
    out.mkdir(parents=True, exist_ok=True)
    process, base = start_app(store_dir)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.add_init_script(BUSY_PROBE)
            for name, path, text in SCREENSHOTS:
                time_page(page, base + path.format(**refs), text)
                full_page_shot(page, out / f"{name}.png")
            time_page(page, base + "/ask", "Run query")
            actor = page.get_by_role("combobox", name="actor (required)")
            actor.click()
            actor.fill("Russia")
            page.get_by_role("option", name="Russia (actor)", exact=True).click()
            page.get_by_role("button", name="Run query").click()
            time_page_here(page, "Download CSV")
            full_page_shot(page, out / "ask.png")
            time_page(page, base + "/add", "Remove a document")
            page.get_by_label("Document text").fill(SAMPLE_TEXT)
            page.get_by_label("Title").fill("China's 2007 ASAT test")
            page.get_by_label("Date (YYYY, YYYY-MM or YYYY-MM-DD)").fill("2007-01-12")
            page.get_by_role("button", name="Preview").click()
            time_page_here(page, "Proposed facts")
            full_page_shot(page, out / "add.png")
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(f"screenshots: {', '.join(sorted(p.name for p in out.glob('*.png')))} in {out}")


def time_page_here(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Wait, without navigating, until `text` shows and Streamlit is quiet."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(
        f"() => performance.now() - window.__lastBusy > {QUIET_MS}", timeout=TIMEOUT_MS
    )


def script_times(store_dir: Path, label: str) -> list[tuple[str, str, float, float]]:
    """Seconds for the page script alone (Streamlit's AppTest, no browser): first and warm run.

    The browser figures add loading the Streamlit frontend, the websocket and drawing charts;
    this one is what the app itself costs on the server.
    """
    from streamlit.testing.v1 import AppTest

    refs = sample_refs(store_dir)
    os.environ["SPACEKG_STORE"] = str(store_dir)
    os.environ.pop("SPACEKG_ENDPOINT", None)
    runs: dict[str, list[float]] = {}
    for _ in range(2):
        for name, path, _text in PAGES:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            route, _, query = path.format(**refs).partition("?")
            at.query_params["page"] = route.strip("/") or "overview"
            for pair in filter(None, query.split("&")):
                key, _, value = pair.partition("=")
                at.query_params[key] = value
            start = time.perf_counter()
            at.run()
            runs.setdefault(name, []).append(time.perf_counter() - start)
    graph = f"{label} script ({int(refs['triples']):,} triples)"
    return [(graph, name, first, warm) for name, (first, warm) in runs.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="corpus store to use (default: build one)")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--graphs", default="corpus,synthetic", help="which graphs to measure (comma-separated)"
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        help="also save a full-page screenshot of each page on the corpus graph to this folder",
    )
    args = parser.parse_args()
    graphs = set(args.graphs.split(","))
    with tempfile.TemporaryDirectory(prefix="spacekg-bench-app-") as tmp:
        work = Path(tmp)
        results = []
        if "corpus" in graphs:
            if args.store:
                corpus = work / "corpus-store"
                shutil.copytree(args.store, corpus)  # the app locks its store: never the user's
            else:
                corpus = build_corpus_store(work / "corpus-store")
            # AppTest opens the store in this process and keeps it: give it its own copy
            shutil.copytree(corpus, work / "corpus-script-store")
            results += script_times(work / "corpus-script-store", "corpus")
            results += measure(corpus, "corpus", args.repeat)
            if args.screenshots:
                take_screenshots(corpus, args.screenshots)
        if "synthetic" in graphs and args.triples > 0:
            synthetic = build_synthetic_store(work / "synthetic-store", args.triples)
            results += measure(synthetic, "synthetic", args.repeat)
    print(f"\n{'graph':<42} {'page':<15} {'first s':>8} {'warm s':>8}")
    for graph, name, first, warm in results:
        print(f"{graph:<42} {name:<15} {first:8.2f} {warm:8.2f}")


if __name__ == "__main__":
    main()
