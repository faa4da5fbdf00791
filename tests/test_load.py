"""Loading source files and pasted text (ingest.load): good inputs by content, bad ones by message."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import InputError
from ingest.load import (
    SUPPORTED_SUFFIXES,
    SourceText,
    iter_source_files,
    load_bytes,
    load_file,
    load_text,
    word_count,
)

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "load"
CORPUS_FILE = HERE.parent / "corpus" / "nac_statement_russia_asat_2021.md"
NAC_TITLE = (
    "Statement by the North Atlantic Council on the recent anti-satellite missile test "
    "conducted by the Russian Federation"
)
BODY = "Russia conducted an anti-satellite missile test on 15 November 2021.\n"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def refused(path: Path, **kwargs: int) -> str:
    """The message load_file raises for `path` (fails the test when it loads)."""
    with pytest.raises(InputError) as info:
        load_file(path, **kwargs)
    return str(info.value)


def front(lines: str, body: str = BODY) -> str:
    return f"---\n{lines}\n---\n{body}"


# --------------------------------------------------------------------------- the corpus


def test_corpus_file_front_matter_is_read() -> None:
    source = load_file(CORPUS_FILE)
    assert source.title == NAC_TITLE
    assert source.publisher == "North Atlantic Council"
    assert source.date == "2021-11-19"
    assert source.url == "https://mfa.bg/en/news/31900"
    assert source.kind == "official"
    assert source.media_type == "text/markdown"
    assert source.path == str(CORPUS_FILE.resolve())
    assert source.text.startswith(NAC_TITLE + "\n\n19 November 2021 News\n\n1. The North")
    assert "---" not in source.text and "publisher:" not in source.text
    assert source.notes == ()
    assert len(source.docid) == 16 and source.sha256.startswith(source.docid)


def test_corpus_copy_without_front_matter_gets_guessed_title_and_dateline(tmp_path: Path) -> None:
    original = CORPUS_FILE.read_text(encoding="utf-8")
    body = original.split("\n---\n", 1)[1]
    copy = load_file(write(tmp_path, "nac.md", body))
    assert copy.title == NAC_TITLE
    assert copy.date == "2021-11-19"
    assert copy.publisher is None and copy.url is None and copy.kind == ""
    assert "title taken from the first line" in copy.notes
    assert "date taken from the dateline '19 November 2021 News'" in copy.notes
    # Same body, other path, no front matter: same content id.
    assert copy.docid == load_file(CORPUS_FILE).docid


def test_every_corpus_file_loads() -> None:
    sources = [load_file(p) for p in sorted(CORPUS_FILE.parent.glob("*.md"))]
    assert len(sources) == 9
    assert len({s.docid for s in sources}) == 9
    assert all(s.title and s.text for s in sources)


# --------------------------------------------------------------------------- files: bad input


def test_missing_file(tmp_path: Path) -> None:
    message = refused(tmp_path / "nowhere.md")
    assert message == f"{tmp_path / 'nowhere.md'}: file not found — check the path"


def test_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "docs.md"
    folder.mkdir()
    assert "this is a folder, not a file" in refused(folder)


def test_fifo_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert "not a regular file" in refused(fifo)


def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.md", BODY)
    path.chmod(0)
    if os.geteuid() != 0:
        assert "cannot read the file: Permission denied" in refused(path)
        return
    # root reads any file: check from a child process that dropped to user 'nobody'.
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.close(reader)
            os.setgid(65534)
            os.setuid(65534)
            try:
                load_file(path)
                message = "loaded"
            except InputError as exc:
                message = str(exc)
            os.write(writer, message.encode("utf-8"))
        finally:
            os._exit(0)
    os.close(writer)
    os.waitpid(pid, 0)
    with os.fdopen(reader, "rb") as pipe:
        message = pipe.read().decode("utf-8")
    assert "cannot read the file: Permission denied" in message


@pytest.mark.parametrize(("name", "shown"), [("report.docx", "'.docx'"), ("README", "(no suffix)")])
def test_unsupported_suffix_lists_the_supported_ones(tmp_path: Path, name: str, shown: str) -> None:
    message = refused(write(tmp_path, name, BODY))
    assert f"unsupported file type {shown}" in message
    assert "give a file ending in one of .md, .markdown, .txt, .html, .htm, .pdf" in message


def test_too_large_file(tmp_path: Path) -> None:
    path = write(tmp_path, "big.md", "x" * 101)
    message = refused(path, max_bytes=100)
    assert "the document is too large: 101 bytes, the limit is 100 bytes" in message
    assert load_file(path, max_bytes=101).text == "x" * 101


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    # A sparse 64 GiB file: reading it first would exhaust memory; the size check refuses it.
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(64 * 2**30)
    message = refused(path)
    assert "the document is too large: 68,719,476,736 bytes" in message
    assert "raise SPACEKG_MAX_FILE_BYTES" in message


def test_empty_file(tmp_path: Path) -> None:
    assert "the file is empty (0 bytes)" in refused(write(tmp_path, "empty.md", b""))


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "the file holds only whitespace" in refused(write(tmp_path, "blank.txt", " \n\t\r\n "))


def test_nul_bytes_mean_binary(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert "the file looks binary: it contains a NUL byte at offset 8" in message


def test_utf16_text_is_refused_as_binary_with_a_hint(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "utf16.txt", BODY.encode("utf-16")))
    assert "looks binary" in message and "UTF-16 text must be saved as UTF-8" in message


def test_many_control_characters_mean_binary(tmp_path: Path) -> None:
    data = ("abc\x01\x02\x03\x1b" * 50).encode("ascii")
    message = refused(write(tmp_path, "data.txt", data))
    assert "the text looks binary: 200 of its 350 characters are control characters" in message


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    data = "Défense spatiale".encode("latin-1")  # é is 0xe9 at offset 1
    message = refused(write(tmp_path, "latin1.md", data))
    assert "not valid UTF-8: byte 0xe9 at offset 1 cannot be decoded" in message
    assert "does not guess other encodings" in message


def test_utf8_bom_is_accepted_and_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.md", b"\xef\xbb\xbf" + front("title: With BOM").encode("utf-8"))
    source = load_file(path)
    assert source.title == "With BOM"
    assert source.text == BODY.strip()


# --------------------------------------------------------------------------- front matter


def test_front_matter_values_and_yaml_date_object(tmp_path: Path) -> None:
    text = front(
        "title: Allies condemn the test\npublisher: North Atlantic Council\ndate: 2021-11-19\n"
        "url: https://example.org/a\nkind: statement"
    )
    source = load_file(write(tmp_path, "doc.md", text))
    assert (source.title, source.publisher, source.date, source.url, source.kind) == (
        "Allies condemn the test",
        "North Atlantic Council",
        "2021-11-19",
        "https://example.org/a",
        "statement",
    )
    assert source.text == BODY.strip()


@pytest.mark.parametrize(("value", "iso"), [('"2019-06"', "2019-06"), ("2024", "2024")])
def test_front_matter_month_and_year_dates(tmp_path: Path, value: str, iso: str) -> None:
    assert load_file(write(tmp_path, "d.md", front(f"title: T\ndate: {value}"))).date == iso


def test_front_matter_note_goes_to_the_notes(tmp_path: Path) -> None:
    source = load_file(write(tmp_path, "n.md", front("title: T\nnote: navigation text left in")))
    assert "front-matter note: navigation text left in" in source.notes


def test_empty_front_matter_falls_back_to_guessing(tmp_path: Path) -> None:
    source = load_file(write(tmp_path, "e.md", "---\n---\n# Space policy\n\nText.\n"))
    assert source.title == "Space policy"
    assert source.notes == ("title taken from the first heading", "no date found")


def test_unclosed_front_matter(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "open.md", "---\ntitle: T\n" + BODY))
    assert message == (
        f"{tmp_path / 'open.md'}: front matter is not closed: no line '---' after line 1"
        " — add a closing '---' line or remove the front matter"
    )


def test_oversized_front_matter(tmp_path: Path) -> None:
    text = front("title: T\n" + "# padding\n" * 2000)
    assert "front matter is longer than 16 KiB" in refused(write(tmp_path, "big.md", text))


def test_front_matter_without_body(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "nobody.md", front("title: T", body="\n  \n")))
    assert "the document has no text after its front matter" in message


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("- title\n- date", "front matter is not a mapping of keys to values (found a list)"),
        ("just some words", "front matter is not a mapping of keys to values (found str)"),
        ("author: Someone", "unknown front-matter key 'author'"),
        ("title: T\ntitle: U", "front-matter key 'title' appears twice"),
        ("title: 2021", "front-matter key 'title' must be text, not a number (2021)"),
        ("title: yes", "front-matter key 'title' must be text, not true/false"),
        ("publisher: [NATO, EU]", "front matter holds a list or mapping as a value"),
        ("title:\n  en: T", "front matter holds a list or mapping as a value"),
        ("date: 2021-02-30", "front-matter key date '2021-02-30' is not a valid date"),
        ("date: 19 November 2021", "front-matter key date '19 November 2021' is not a valid date"),
        ("date: 1850", "front-matter key date 1850 is not a valid date"),
        ("date: true", "front-matter key 'date' must be a date, not true/false"),
        (
            "url: ftp://example.org/a",
            "front-matter key url 'ftp://example.org/a' is not an http(s)",
        ),
        (
            "url: javascript:alert(1)",
            "front-matter key url 'javascript:alert(1)' is not an http(s)",
        ),
        ("url: https://", "front-matter key url 'https://' is not an http(s) address"),
        ("title: 'unclosed", "front matter is not valid YAML at line 3: found unexpected end"),
        ("title: a: b", "front matter is not valid YAML at line 2: mapping values are not allowed"),
    ],
)
def test_bad_front_matter(tmp_path: Path, lines: str, expected: str) -> None:
    message = refused(write(tmp_path, "bad.md", front(lines)))
    assert expected in message


def test_unknown_key_message_lists_the_allowed_keys(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "k.md", front("title: T\nauthors: A")))
    assert message.endswith(
        "unknown front-matter key 'authors' — use only the keys title, publisher, date, url, "
        "kind, note"
    )


def test_invalid_date_message_says_the_format(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "d.md", front("date: 2021-13-01")))
    assert "write the date as YYYY, YYYY-MM or YYYY-MM-DD" in message


# --------------------------------------------------------------------------- hostile YAML


def test_alias_bomb_is_refused_before_expansion(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        lines.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{','.join(['*' + prev] * 9)}]")
    message = refused(write(tmp_path, "bomb.md", front("\n".join(lines))))
    assert "front matter uses a YAML anchor ('&a')" in message
    assert "aliases and anchors are not allowed" in message


def test_alias_without_anchor_is_refused(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "alias.md", front("title: *missing")))
    assert "front matter uses a YAML alias ('*missing')" in message


def test_python_tag_is_refused_and_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = front(f'title: !!python/object/apply:os.system ["touch {marker}"]')
    message = refused(write(tmp_path, "tag.md", text))
    assert "front matter uses the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'" in (
        message
    )
    assert not marker.exists()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("title: !custom T", "front matter uses the YAML tag '!custom'"),
        ("title: !!str T", "front matter uses the YAML tag 'tag:yaml.org,2002:str'"),
        ("%TAG ! tag:example.org,2000:\n---\ntitle: T", "front matter is not valid YAML"),
    ],
)
def test_other_tags_and_directives_are_refused(tmp_path: Path, lines: str, expected: str) -> None:
    assert expected in refused(write(tmp_path, "t.md", front(lines)))


def test_deeply_nested_front_matter_is_refused(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "deep.md", front("title: " + "[" * 5000 + "]" * 5000)))
    assert "front matter holds a list or mapping as a value" in message


# --------------------------------------------------------------------------- guessing, normalising


def test_title_from_first_markdown_heading(tmp_path: Path) -> None:
    text = "Posted by the press office\n\n## NATO's space policy ##\n\nThe Alliance adopted it.\n"
    source = load_file(write(tmp_path, "h.md", text))
    assert source.title == "NATO's space policy"
    assert source.notes == ("title taken from the first heading", "no date found")


def test_plain_text_title_is_the_first_line_even_with_hashes(tmp_path: Path) -> None:
    source = load_file(write(tmp_path, "t.txt", "\n\nSpace threats\n# not a heading in .txt\n"))
    assert source.title == "Space threats"
    assert source.media_type == "text/plain"


def test_long_first_line_is_shortened_to_200_characters(tmp_path: Path) -> None:
    line = " ".join(["word"] * 100)
    source = load_file(write(tmp_path, "long.md", line + "\n"))
    assert len(source.title) <= 200
    assert source.title.endswith("word…")
    assert source.text == line


def test_text_is_normalised_and_hash_is_content_only(tmp_path: Path) -> None:
    decomposed = "Cre\u0301ation du commandement   \r\nde l'espace\t\r\n\r\n\r\n\r\nFin\r\n"
    composed = "Création du commandement\nde l'espace\n\nFin\n"
    a = load_file(write(tmp_path, "a.md", decomposed))
    b = load_file(write(tmp_path, "b.txt", composed))
    assert a.text == "Création du commandement\nde l'espace\n\nFin"
    assert a.sha256 == b.sha256 and a.docid == b.docid
    assert a.path != b.path


# --------------------------------------------------------------------------- HTML


def test_html_main_text_without_scripts_or_chrome() -> None:
    source = load_file(FIXTURES / "page.html")
    assert source.media_type == "text/html"
    # The headline (<h1>), not the browser tab's <title>.
    assert source.title == "Allies agree a space policy"
    assert source.date == "2019-06-27"
    assert 'date taken from <meta name="dcterms.date">' in source.notes
    assert "main text by trafilatura" in source.notes
    assert source.text == (
        "Allies agree a space policy\n\n27 June 2019\n\n"
        "Defence ministers approved NATO's first overarching space policy.\n\n"
        "Space is essential to the Alliance's deterrence and defence.\n\n"
        "- Navigation\n\n- Communications"
    )
    for hidden in ("SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "SVG", "FORM", "HIDDEN", "ONLOAD"):
        assert hidden not in source.text
    for chrome in ("Site header", "Navigation link", "Footer", "Cookie", "Related", "comment"):
        assert chrome not in source.text


def test_html_without_main_uses_body_and_h1_title(tmp_path: Path) -> None:
    page = (
        "<html><body><nav>Menu</nav><h1>Space Centre of Excellence</h1>"
        "<div>Published 5 Feb. 2021</div><div><p>Toulouse will host the centre.</p></div>"
        "<footer>Legal</footer></body></html>"
    )
    source = load_file(write(tmp_path, "p.htm", page))
    assert source.title == "Space Centre of Excellence"
    assert source.text == (
        "Space Centre of Excellence\n\nPublished 5 Feb. 2021\n\nToulouse will host the centre."
    )
    assert source.date == "2021-02-05"
    assert "title taken from the page's headline" in source.notes


def test_html_prefers_article_and_ignores_invalid_meta_date(tmp_path: Path) -> None:
    page = (
        '<html><head><meta property="article:published_time" content="2021-02-30T10:00:00Z">'
        "</head><body><p>Teaser</p><article><p>Body of the article.</p></article></body></html>"
    )
    source = load_file(write(tmp_path, "a.html", page))
    assert source.text == "Body of the article."
    assert source.date is None
    assert source.title == "Body of the article."
    assert "no date found" in source.notes


def test_html_published_time_meta(tmp_path: Path) -> None:
    page = (
        '<html><head><meta property="article:published_time" content="2022-02-24T06:00:00+02:00">'
        "</head><body><p>KA-SAT outage.</p></body></html>"
    )
    assert load_file(write(tmp_path, "a.html", page)).date == "2022-02-24"


def test_html_with_only_scripts_has_no_readable_text(tmp_path: Path) -> None:
    page = "<html><head><script>var x = 1;</script></head><body><nav>Menu</nav></body></html>"
    message = refused(write(tmp_path, "app.html", page))
    assert "the HTML page has no readable text" in message


# --------------------------------------------------------------------------- PDF


def test_pdf_text_layer_title_and_dateline() -> None:
    source = load_file(FIXTURES / "text.pdf")
    assert source.media_type == "application/pdf"
    assert source.title == "NATO space policy fixture"
    assert source.date == "2019-12-04"
    assert source.text == (
        "Allied space policy\n4 December 2019\n"
        "NATO Leaders declared space an operational domain.\n"
        "Russia and China develop counterspace capabilities that threaten satellites."
    )
    assert "title taken from the PDF's metadata" in source.notes


def test_pdf_with_empty_user_password_is_read() -> None:
    source = load_file(FIXTURES / "owner_only.pdf")
    assert "operational domain" in source.text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("encrypted.pdf", "the PDF is encrypted with a password"),
        ("truncated.pdf", "the PDF is damaged or truncated: "),
        ("corrupt.pdf", "the PDF is damaged or truncated: "),
        ("scanned.pdf", "the PDF has no text layer (2 page(s) without text; scanned images?)"),
    ],
)
def test_bad_pdfs(name: str, expected: str) -> None:
    assert expected in refused(FIXTURES / name)


def test_scanned_pdf_suggests_ocr() -> None:
    assert "run OCR on it first" in refused(FIXTURES / "scanned.pdf")


def test_file_named_pdf_that_is_not_a_pdf(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "fake.pdf", "<html>not a pdf</html>"))
    assert "not a PDF file (no '%PDF-' header)" in message


def test_fixture_pdfs_match_their_generator() -> None:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (FIXTURES / "text.pdf").read_bytes() == module.text_pdf()


# --------------------------------------------------------------------------- pasted text, uploads


def test_load_text_with_given_metadata() -> None:
    source = load_text(
        "Viasat reported a cyber attack on KA-SAT.\n",
        title="KA-SAT attack",
        publisher="Viasat",
        date="2022-03-30",
        url="https://www.viasat.com/",
        kind="report",
    )
    assert (source.title, source.publisher, source.date, source.url, source.kind) == (
        "KA-SAT attack",
        "Viasat",
        "2022-03-30",
        "https://www.viasat.com/",
        "report",
    )
    assert source.path == "" and source.media_type == "text/markdown"
    assert source.notes == ()


def test_load_text_reads_front_matter_and_given_values_win() -> None:
    text = front("title: From front matter\ndate: 2019-12-04\nkind: news")
    source = load_text(text, title="Given title")
    assert source.title == "Given title"
    assert source.date == "2019-12-04" and source.kind == "news"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"date": "2021-02-29"}, "pasted text: metadata date '2021-02-29' is not a valid date"),
        ({"date": "last week"}, "metadata date 'last week' is not a valid date"),
        ({"url": "file:///etc/passwd"}, "metadata url 'file:///etc/passwd' is not an http(s)"),
        ({"media_type": "application/pdf"}, "cannot read pasted text as 'application/pdf'"),
        ({"max_bytes": 10}, "the document is too large: 69 bytes, the limit is 10 bytes"),
    ],
)
def test_load_text_bad_metadata(kwargs: dict[str, str], expected: str) -> None:
    with pytest.raises(InputError) as info:
        load_text(BODY, **kwargs)  # type: ignore[arg-type]
    assert expected in str(info.value)


def test_load_text_counts_bytes_not_characters() -> None:
    with pytest.raises(InputError, match="too large: 12 bytes, the limit is 10 bytes"):
        load_text("éééééé", max_bytes=10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the document is empty"),
        (" \n\t \n", "the document is empty"),
        ("bad \ud800 surrogate", "invalid character (a lone surrogate) at position 4"),
        ("a\x00b", "it contains a NUL character at position 1"),
        ("\x1b[31m" * 20, "looks binary"),
    ],
)
def test_load_text_bad_text(text: str, expected: str) -> None:
    with pytest.raises(InputError) as info:
        load_text(text, path="form")
    assert expected in str(info.value)
    assert str(info.value).startswith("form: ")


def test_load_text_html() -> None:
    source = load_text(
        "<p>One</p><script>alert(1)</script><p>Two</p>", media_type="text/html", title="T"
    )
    assert source.text == "One\n\nTwo"
    assert source.media_type == "text/html"


def test_load_bytes_dispatches_on_the_filename() -> None:
    pdf = load_bytes((FIXTURES / "text.pdf").read_bytes(), filename="upload.pdf", kind="analysis")
    assert pdf.media_type == "application/pdf" and pdf.kind == "analysis" and pdf.path == ""
    assert pdf.docid == load_file(FIXTURES / "text.pdf").docid
    page = load_bytes((FIXTURES / "page.html").read_bytes(), filename="page.HTML", title="Mine")
    assert page.title == "Mine" and page.media_type == "text/html"
    assert not any(n.startswith("title taken") for n in page.notes)
    with pytest.raises(InputError, match=r"upload\.exe: unsupported file type '\.exe'"):
        load_bytes(b"MZ", filename="upload.exe")
    with pytest.raises(InputError, match="too large: 890 bytes"):
        load_bytes((FIXTURES / "text.pdf").read_bytes(), filename="x.pdf", max_bytes=100)


# --------------------------------------------------------------------------- finding files


def test_iter_source_files(tmp_path: Path) -> None:
    for name in ("b/z.md", "b/a.txt", "a.html", "c/d/deep.pdf", "notes.docx", ".hidden.md"):
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text("x")
    (tmp_path / "docs" / ".git").mkdir()
    (tmp_path / "docs" / ".git" / "inside.md").write_text("x")
    explicit = write(tmp_path, "report.docx", "x")
    missing = tmp_path / "missing.md"
    docs = tmp_path / "docs"
    found = list(iter_source_files([explicit, docs, missing, docs / "a.html"]))
    assert found == [
        explicit,
        docs / "a.html",
        docs / "b" / "a.txt",
        docs / "b" / "z.md",
        docs / "c" / "d" / "deep.pdf",
        missing,
    ]


def test_iter_source_files_yields_links_loops_and_pipes_inside_folders(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_text("x")
    os.symlink("b.md", docs / "a.md")
    os.symlink("a.md", docs / "b.md")
    os.symlink("self.md", docs / "self.md")
    os.symlink("nowhere.md", docs / "dangling.md")
    os.symlink("good.md", docs / "alias.md")
    os.mkfifo(docs / "pipe.md")
    found = [p.name for p in iter_source_files([docs, docs / "self.md"])]
    # alias.md is good.md under another name: one visit, the first in sorted order
    assert found == ["a.md", "alias.md", "b.md", "dangling.md", "pipe.md", "self.md"]


def test_symlink_loop_is_refused_with_the_links_followed(tmp_path: Path) -> None:
    os.symlink("b.md", tmp_path / "a.md")
    os.symlink("a.md", tmp_path / "b.md")
    os.symlink("self.md", tmp_path / "self.md")
    assert refused(tmp_path / "a.md") == (
        f"{tmp_path / 'a.md'}: symbolic link loop (a.md -> b.md -> a.md) — "
        "point the link at a real file, or remove it"
    )
    assert "symbolic link loop (self.md -> self.md)" in refused(tmp_path / "self.md")


def test_broken_symlink_names_its_target(tmp_path: Path) -> None:
    os.symlink("gone/report.md", tmp_path / "report.md")
    assert refused(tmp_path / "report.md") == (
        f"{tmp_path / 'report.md'}: broken symbolic link: it points to 'gone/report.md', "
        "which does not exist — point the link at a real file, or remove it"
    )


def _as_nobody(work: Callable[[], str]) -> str:
    """`work()` in a child process that dropped to user 'nobody' (root reads everything)."""
    if os.geteuid() != 0:
        return work()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.close(reader)
            os.setgid(65534)
            os.setuid(65534)
            try:
                message = work()
            except Exception as exc:  # reported to the parent, which fails the test
                message = f"{type(exc).__name__}: {exc}"
            os.write(writer, message.encode("utf-8"))
        finally:
            os._exit(0)
    os.close(writer)
    os.waitpid(pid, 0)
    with os.fdopen(reader, "rb") as pipe:
        return pipe.read().decode("utf-8")


def test_unreadable_sub_folder_is_reported_not_skipped() -> None:
    # Not under tmp_path: pytest's temporary root is private to root, so 'nobody' could not
    # even reach the folder.
    base = Path(tempfile.mkdtemp(prefix="spacekg-load-"))
    try:
        base.chmod(0o755)
        docs = base / "docs"
        (docs / "locked").mkdir(parents=True)
        (docs / "locked" / "inner.md").write_text(BODY)
        (docs / "ok.md").write_text(BODY)
        (docs / "locked").chmod(0)

        def walk() -> str:
            found = list(iter_source_files([docs]))
            lines = [str(p.relative_to(docs)) for p in found]
            try:
                load_file(docs / "locked")
            except InputError as exc:
                lines.append(str(exc))
            return "\n".join(lines)

        lines = _as_nobody(walk).splitlines()
        assert lines[:2] == ["locked", "ok.md"], lines
        assert lines[2] == (
            f"{docs / 'locked'}: cannot read the folder: Permission denied; its files were not "
            "ingested — check the folder's permissions (it must be readable and searchable)"
        )
    finally:
        (base / "docs" / "locked").chmod(0o755)
        shutil.rmtree(base)


def test_iter_source_files_walks_the_fixture_folder() -> None:
    found = [p.name for p in iter_source_files([FIXTURES])]
    assert found == sorted(found)
    assert "page.html" in found and "text.pdf" in found
    assert "make_fixtures.py" not in found
    assert all(Path(name).suffix in SUPPORTED_SUFFIXES for name in found)


def test_copy_of_a_file_under_another_name_has_the_same_docid(tmp_path: Path) -> None:
    copy = tmp_path / "copy.md"
    shutil.copy(CORPUS_FILE, copy)
    assert load_file(copy).docid == load_file(CORPUS_FILE).docid
    assert load_file(copy).path == str(copy.resolve())


# --------------------------------------------------------------------------- properties


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_pasted_text_loads_or_raises_input_error(text: str) -> None:
    try:
        source = load_text(text)
    except InputError:
        return
    assert isinstance(source, SourceText)
    assert source.text.strip() and source.title
    assert "\r" not in source.text and "\x00" not in source.text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_front_matter_loads_or_raises_input_error(front_matter: str) -> None:
    try:
        source = load_text(f"---\n{front_matter}\n---\n{BODY}")
    except InputError:
        return
    assert source.text == BODY.strip()


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_load_or_raise_input_error(data: bytes) -> None:
    for filename in ("x.md", "x.html", "x.pdf"):
        try:
            source = load_bytes(data, filename=filename)
        except InputError:
            continue
        assert source.text.strip() and "\x00" not in source.text


@given(
    st.text(alphabet=st.sampled_from(["a", "é", " ", "\n", "\u00a0", "\u2003", "\x1f", "-"])),
    st.integers(min_value=1, max_value=9),
)
def test_word_count_is_the_number_of_split_words(text: str, piece: int) -> None:
    # Pieces as small as one character: every boundary falls inside a word or a space run.
    assert word_count(text, piece) == len(text.split())
    assert word_count(text) == len(text.split())
