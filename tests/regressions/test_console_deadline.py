"""Defect 4: `--timeout` was not a deadline.

The pre-check ran untimed in the caller (16,000 `||` terms: 44 s under `--timeout 1`), and on a
server the HTTP timeout applied per read, after an untimed set-up request (a silent server: 61 s
for `--timeout 3`; one byte every 2 s: 52 s). The deadline now covers starting, parsing,
checking, running and transfer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _hostile import SLACK_S, listening, small_store, spacekg

DEEP = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["1"] * 16_000) + ") }"


def test_parsing_is_under_the_deadline(tmp_path: Path) -> None:
    store = small_store(tmp_path / "store")
    query = tmp_path / "deep.rq"
    query.write_text(DEEP, encoding="utf-8")
    code, _, err, seconds = spacekg("--store", str(store), "sparql", f"@{query}", "--timeout", "1")
    assert code == 1
    assert "1 s limit" in err or "nested too deeply" in err, err
    assert seconds < 1 + SLACK_S


@pytest.mark.parametrize("mode", ["silent", "trickle"])
def test_a_server_that_does_not_answer(mode: str) -> None:
    with listening(mode) as peer:
        code, _, err, seconds = spacekg(
            "--endpoint", peer.url, "sparql", "ASK {}", "--timeout", "3", timeout=120
        )
    assert code == 1
    assert "3 s limit" in err, err
    assert seconds < 3 + SLACK_S
