"""Defect 9: a symlink loop (or another unreadable entry) in a folder ended the whole ingest
with "internal error"; it must be one failed line, and the rest of the folder is ingested."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ingest.config import Settings
from ingest.pipeline import ingest_paths, list_documents
from ingest.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
GOOD = (
    "---\ntitle: Finland joins the Alliance\ndate: 2023-04-04\n---\n"
    "Finland became a member of NATO on 4 April 2023.\n"
)


def folder_with_bad_links(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_text(GOOD, encoding="utf-8")
    os.symlink("b.md", docs / "a.md")
    os.symlink("a.md", docs / "b.md")
    os.symlink("x.md", docs / "x.md")
    os.symlink("nowhere.md", docs / "dangling.md")
    os.mkfifo(docs / "pipe.md")
    return docs


def test_symlink_loops_broken_links_and_pipes_fail_alone(
    tmp_path: Path, spacekg_nlp: object
) -> None:
    docs = folder_with_bad_links(tmp_path)
    store = OxigraphStore(tmp_path / "store")
    try:
        report = ingest_paths(store, [docs], Settings.from_env())
        by_name = {Path(o.source).name: o for o in report.outcomes}
        assert set(by_name) == {"a.md", "b.md", "dangling.md", "good.md", "pipe.md", "x.md"}
        assert by_name["good.md"].status == "added"
        for name in ("a.md", "b.md", "x.md"):
            assert by_name[name].status == "failed"
            assert "symbolic link loop" in by_name[name].error, by_name[name].error
            assert name in by_name[name].error
        assert "a.md -> b.md -> a.md" in by_name["a.md"].error
        assert "x.md -> x.md" in by_name["x.md"].error
        assert "broken symbolic link" in by_name["dangling.md"].error
        assert "'nowhere.md'" in by_name["dangling.md"].error
        assert "not a regular file" in by_name["pipe.md"].error
        assert [rec.title for rec in list_documents(store)] == ["Finland joins the Alliance"]
    finally:
        store.close()


def test_cli_reports_a_symlink_loop_as_one_line_and_ingests_the_rest(tmp_path: Path) -> None:
    docs = folder_with_bad_links(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACEKG_")}
    env["PYTHONPATH"] = str(ROOT)
    store = str(tmp_path / "store")
    cli = [sys.executable, "-m", "ingest.cli", "--store", store]
    result = subprocess.run(
        [*cli, "ingest", str(docs)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    loop = [line for line in errors if str(docs / "a.md") in line]
    assert len(loop) == 1 and "symbolic link loop" in loop[0], result.stderr
    assert "point the link at a real file, or remove it" in loop[0]
    assert len(errors) == 5, result.stderr
    listing = subprocess.run(
        [*cli, "docs"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600
    )
    assert "Finland joins the Alliance" in listing.stdout, listing.stdout + listing.stderr
