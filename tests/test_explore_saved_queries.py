"""Saved console queries: `.rq` files with the library's header, written atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.config import Settings
from ingest.errors import InputError
from ingest.explore import saved_queries
from ingest.explore.saved_queries import delete_saved, list_saved, save_query, saved_queries_dir

QUERY = "SELECT ?x WHERE { ?x a skg:State }"


def test_a_saved_query_is_an_rq_file_with_the_library_header(tmp_path: Path) -> None:
    saved = save_query(tmp_path, "  States   of NATO ", QUERY)
    assert saved.path == tmp_path / "states-of-nato.rq"
    assert saved.path.read_text(encoding="utf-8") == "#+ summary: States of NATO\n" + QUERY
    [listed] = list_saved(tmp_path)
    assert (listed.name, listed.text) == ("States of NATO", QUERY)


def test_saving_again_overwrites_and_keeps_one_header(tmp_path: Path) -> None:
    save_query(tmp_path, "states", QUERY)
    [listed] = list_saved(tmp_path)
    save_query(tmp_path, "states", "#+ summary: states\n" + QUERY + " LIMIT 3")
    [again] = list_saved(tmp_path)
    assert again.text == QUERY + " LIMIT 3"
    assert again.path.read_text(encoding="utf-8").count("#+ summary:") == 1
    assert listed.path == again.path
    assert [p.name for p in tmp_path.iterdir()] == ["states.rq"]  # no temp file left


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("   ", QUERY, "needs a name"),
        ("x" * 121, QUERY, "at most 120"),
        ("empty", "  \n", "query is empty"),
        ("huge", "#" * 100_001, "at most 100,000"),
    ],
)
def test_bad_saves_say_what_is_wrong_and_write_nothing(
    tmp_path: Path, name: str, text: str, says: str
) -> None:
    with pytest.raises(InputError, match=says):
        save_query(tmp_path / "saved", name, text)
    assert not (tmp_path / "saved").exists()


def test_the_number_of_saved_queries_is_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saved_queries, "MAX_SAVED", 2)
    save_query(tmp_path, "one", QUERY)
    save_query(tmp_path, "two", QUERY)
    with pytest.raises(InputError, match="2 queries are saved already"):
        save_query(tmp_path, "three", QUERY)
    save_query(tmp_path, "two", QUERY + " LIMIT 1")  # overwriting is still allowed
    assert [q.name for q in list_saved(tmp_path)] == ["one", "two"]


def test_unreadable_and_headerless_files_are_handled(tmp_path: Path) -> None:
    (tmp_path / "broken.rq").write_bytes(b"\xff\xfe not utf-8")
    (tmp_path / "by-hand.rq").write_text(QUERY, encoding="utf-8")
    [listed] = list_saved(tmp_path)
    assert (listed.name, listed.text) == ("by-hand", QUERY)
    assert delete_saved(tmp_path, "by-hand")
    assert not delete_saved(tmp_path, "by-hand")
    assert list_saved(tmp_path / "missing") == []


def test_the_folder_is_beside_the_store_unless_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPACEKG_SAVED_QUERIES", raising=False)
    monkeypatch.setenv("SPACEKG_STORE", str(tmp_path / "data" / "store"))
    assert saved_queries_dir(Settings.from_env()) == tmp_path / "data" / "saved-queries"
    monkeypatch.setenv("SPACEKG_SAVED_QUERIES", str(tmp_path / "mine"))
    assert saved_queries_dir(Settings.from_env()) == tmp_path / "mine"
