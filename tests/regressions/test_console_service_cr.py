"""Defect 1: a SERVICE clause hidden behind a `\\r`-terminated comment made an outbound request.

rdflib (which vetted the query) ends a `#` comment only at `\\n`; Oxigraph (which ran it) also at
`\\r`, so it saw and followed the SERVICE call. With `--endpoint`, the server followed it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _hostile import listening, small_store

from ingest.console import run_console_query
from ingest.errors import QueryError
from ingest.store import EndpointStore, OxigraphStore, Store


def hidden_service(url: str) -> str:
    return f"SELECT * WHERE {{ ?s ?p ?o . # x\r SERVICE <{url}> {{ ?a ?b ?c }}\n}} LIMIT 1"


def assert_refused_without_request(store: Store) -> None:
    """The hidden SERVICE query is refused and nothing connects to the peer it names."""
    with listening() as peer:
        try:
            run_console_query(store, hidden_service(peer.url), timeout_s=10, row_limit=10)
        except QueryError as exc:
            assert "SERVICE" in str(exc) and "not allowed" in str(exc)
        else:
            raise AssertionError("the hidden SERVICE query was run")
    assert peer.connections == 0


def test_embedded_store_makes_no_request(tmp_path: Path) -> None:
    store = OxigraphStore(small_store(tmp_path / "store"))
    assert_refused_without_request(store)
    store.close()


@pytest.mark.server
def test_server_is_not_asked_to_make_one(oxigraph_server: str) -> None:
    assert_refused_without_request(
        EndpointStore(oxigraph_server + "/query", oxigraph_server + "/update")
    )


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_every_line_ending_ends_a_comment(tmp_path: Path, ending: str) -> None:
    """The text is normalised before it is checked, and the normalised text is what runs."""
    store = OxigraphStore(small_store(tmp_path / "store"))
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ # a comment{ending} ?s ?p ?o }}"
    result = run_console_query(store, text, timeout_s=10, row_limit=10)
    store.close()
    assert int(result.rows[0]["n"]) == 120  # the pattern after the comment ran
