"""The Add document page with AppTest on a real store and the real pipeline (in its worker).

Each test opens the page the way a user does; what it checks is what the user reads: errors
inline with the user's file name, "already in the graph" with a link, the only-mentions warning,
a removal that needs a second click and says what goes, and no temporary folder left behind.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, TIMEOUT, frames, open_page, page_links, texts

FIXTURE_DOCS = Path(__file__).parent / "fixtures" / "docs"
FENGYUN = (
    "On 11 January 2007 China conducted a direct-ascent anti-satellite missile test that "
    "destroyed the Fengyun-1C weather satellite."
)


@pytest.fixture(scope="module")
def add_store(app_store_factory) -> Path:  # type: ignore[no-untyped-def]
    return app_store_factory("apptest-add-store")  # its own: these tests write and remove


@pytest.fixture
def app(add_store: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("SPACEKG_STORE", str(add_store))
    monkeypatch.delenv("SPACEKG_ENDPOINT", raising=False)
    yield AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def upload(at: AppTest, name: str, data: bytes, mime: str = "text/markdown") -> AppTest:
    at.radio(key="add_mode").set_value("Upload a file").run()
    at.get("file_uploader")[0].set_value((name, data, mime))
    return at.button(key="add_preview").click().run()


def test_an_upload_error_is_inline_and_names_the_users_file(app: AppTest) -> None:
    at = upload(open_page(app, "add"), "briefing notes.txt", b"\x00\x01\x02\x03 not text" * 20)
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    message = at.error[0].value
    assert "briefing notes.txt" in message
    assert "Cannot preview this document" in message
    assert "tmp" not in message and "spacekg-upload" not in message  # no server path
    assert not any(e.error for e in at.expander)  # not hidden in a collapsed box
    assert "Proposed facts" not in texts(at)


def test_the_same_text_again_is_already_in_the_graph(app: AppTest) -> None:
    path = FIXTURE_DOCS / "russia_asat.md"
    at = upload(open_page(app, "add"), path.name, path.read_bytes())
    assert not at.exception and not at.error, [e.value for e in at.error]
    notice = "\n".join(i.value for i in at.info)
    assert "Already in the graph" in notice
    assert "Allies condemn Russia" in notice.replace("\\", "")
    assert any("Allies condemn Russia" in label for label in page_links(at))
    assert "Proposed facts" not in texts(at)  # nothing to preview: it is there


def test_a_text_with_only_mentions_warns_before_commit(app: AppTest) -> None:
    at = open_page(app, "add")
    at.text_area(key="add_text").set_value("France. Finland. Germany. NATO.")
    at.text_input(key="add_title").set_value("A list of names")
    at.button(key="add_preview").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    warnings = "\n".join(w.value for w in at.warning)
    assert "Only mentions" in warnings
    assert set(frames(at, "add_facts")["property"]) == {"mentions"}
    assert at.button(key="add_commit")  # still committable: it is a warning, not a refusal


def test_a_preview_made_in_the_worker_commits_and_leaves_no_temp_folder(
    app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))
    at = upload(
        open_page(app, "add"), "fengyun.md", f"# China's 2007 ASAT test\n\n{FENGYUN}\n".encode()
    )
    assert not at.exception and not at.error, [e.value for e in at.error]
    facts = frames(at, "add_facts")
    assert "China" in set(facts[facts["property"] == "conducted"]["subject"])
    assert '<mark class="entity"' in texts(at)  # the mentions, highlighted from the extraction
    at.button(key="add_commit").click().run()
    assert "Added to the graph: China's 2007 ASAT test" in texts(at)
    assert list(scratch.iterdir()) == []


def finland(at: AppTest) -> int | None:
    """The removal choice of the Finland fixture document, or None when it is gone."""
    options = at.selectbox(key="remove_doc").options
    return next((i for i, label in enumerate(options) if "Finland" in label), None)


def test_remove_needs_a_confirmation_that_says_what_goes(app: AppTest) -> None:
    at = open_page(app, "add")
    choice = finland(at)
    assert choice is not None
    at.selectbox(key="remove_doc").select_index(choice).run()
    at.button(key="remove_button").click().run()
    asked = "\n".join(w.value for w in at.warning).replace("\\", "")
    assert "Remove" in asked and "Finland" in asked and "fact(s)" in asked
    assert finland(at) is not None  # one click removes nothing
    at.button(key="remove_cancel").click().run()
    assert "remove_confirm" not in {b.key for b in at.button}  # the question is gone
    assert finland(at) is not None

    at.selectbox(key="remove_doc").select_index(finland(at)).run()
    at.button(key="remove_button").click().run()
    at.button(key="remove_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Removed:" in "\n".join(s.value for s in at.success)
    assert finland(at) is None
