"""Defect 10: the CLI rewrote data as rich markup and emoji (":secret:" printed as ㊙,
"[bold]x[/bold]" as a bold x). Everything a document brings must come back verbatim."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Brief :secret: [bold]x[/bold] :smile:"
NAME = ":secret: [bold]x.md"  # a file name cannot hold "/"


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACEKG_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "ingest.cli", "--store", str(store), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )


def test_labels_with_emoji_codes_and_markup_are_printed_verbatim(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / NAME).write_text(
        f'---\ntitle: "{TITLE}"\ndate: 2023-04-04\n---\n'
        "Finland became a member of NATO on 4 April 2023.\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    ingested = run(store, "ingest", str(docs))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    assert NAME in ingested.stdout, ingested.stdout

    listing = run(store, "docs")
    assert listing.returncode == 0, listing.stderr
    assert TITLE in listing.stdout, listing.stdout
    assert "㊙" not in listing.stdout

    csv_out = run(store, "query", "document_index", "--format", "csv")
    assert csv_out.returncode == 0, csv_out.stderr
    assert TITLE in csv_out.stdout, csv_out.stdout
    json_out = run(store, "query", "document_index", "--format", "json")
    assert json_out.returncode == 0, json_out.stderr
    bindings = json.loads(json_out.stdout)["results"]["bindings"]
    assert [b["title"]["value"] for b in bindings] == [TITLE]
    assert TITLE in json_out.stdout  # not escaped or rewritten on the way out either
    table_out = run(store, "query", "document_index", "--format", "table")
    assert table_out.returncode == 0, table_out.stderr
    assert TITLE in table_out.stdout, table_out.stdout

    missing = run(store, "remove", ":secret: [bold]x[/bold]")
    assert missing.returncode == 1
    assert "error: :secret: [bold]x[/bold]: no ingested document" in missing.stderr, missing.stderr

    docid = next(
        line.split("│")[1].strip() for line in listing.stdout.splitlines() if TITLE in line
    )
    removed = run(store, "remove", docid)
    assert removed.returncode == 0, removed.stderr
    assert f"removed {docid} {TITLE}" in removed.stdout, removed.stdout
