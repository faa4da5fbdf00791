"""Does a long Add-document preview hold up other sessions? Overview load time, alone and during one.

A store of corpus/ is built in a temporary folder and `streamlit run app.py` serves it. Session A
opens the Add page, pastes a ~44 kB text and clicks Preview; one second later session B (another
browser context) opens the Overview again and again until the preview is shown; each load is
timed until its capability matrix is visible and Streamlit is idle. The same Overview load is timed with no preview running (after warm-up).

    .venv/bin/python benchmarks/add_preview.py [--store DIR] [--kb 44]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_browser import (  # noqa: E402
    BUSY_PROBE,
    CHROMIUM,
    CHROMIUM_ARGS,
    start_app,
    wait_idle,
)

OVERVIEW_TEXT = "Counterspace capabilities by actor"


def corpus_text(kb: int) -> str:
    """Corpus bodies (front matter dropped) repeated up to `kb` kilobytes."""
    bodies = [p.read_text().split("---", 2)[-1] for p in sorted((ROOT / "corpus").glob("*.md"))]
    text, n = "", 0
    while len(text.encode()) < kb * 1000:
        text += f"\n\nPart {n}.\n\n" + bodies[n % len(bodies)]
        n += 1
    return text


def time_overview(page, base: str) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    page.goto(base + "/")
    wait_idle(page, OVERVIEW_TEXT)
    return time.perf_counter() - started - 1.0  # wait_idle waits out 1 s of quiet


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path)
    parser.add_argument("--kb", type=int, default=44)
    args = parser.parse_args()
    scratch = None if args.store else tempfile.TemporaryDirectory(prefix="skg-bench-")
    store = args.store or Path(scratch.name) / "store"  # type: ignore[union-attr]
    try:
        if scratch is not None:
            subprocess.run(
                [
                    str(Path(sys.executable).with_name("spacekg")),
                    "--store",
                    str(store),
                    "ingest",
                    str(ROOT / "corpus"),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        measure(store, args.kb)
    finally:
        if scratch is not None:
            scratch.cleanup()  # the temporary store goes with the run


def measure(store: Path, kb: int) -> None:
    """Overview loads alone, then during one preview of `kb` kilobytes."""
    text = corpus_text(kb)
    process, base = start_app(store)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            adder = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
            reader = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
            for page in (adder, reader):
                page.add_init_script(BUSY_PROBE)
            alone = [time_overview(reader, base) for _ in range(4)][1:]  # first one warms up
            print(f"overview alone (median of 3): {statistics.median(alone):.2f} s", flush=True)
            adder.goto(base + "/add")
            wait_idle(adder, "Add a document")
            adder.get_by_label("Document text").fill(text)
            adder.get_by_label("Title").fill("Preview benchmark")
            started = time.perf_counter()
            adder.get_by_role("button", name="Preview").click()
            time.sleep(1.0)
            facts = adder.get_by_text("Proposed facts").first
            during: list[float] = []
            while not during or not facts.is_visible():  # as many loads as the preview lasts
                at = time.perf_counter() - started
                during.append(time_overview(reader, base))
                print(f"  load at +{at:.1f} s took {during[-1]:.2f} s", flush=True)
            print(
                f"overview during the preview: median {statistics.median(during):.2f} s, "
                f"max {max(during):.2f} s ({len(during)} loads)",
                flush=True,
            )
            facts.wait_for(timeout=900_000)
            preview = time.perf_counter() - started
            print(f"preview (click to facts shown): {preview:.2f} s", flush=True)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    print(f"text: {len(text.encode()) / 1000:.1f} kB")


if __name__ == "__main__":
    main()
