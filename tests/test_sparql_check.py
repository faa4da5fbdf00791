"""The user-query checks: normalised text, the parse-tree refusals and the lexical backstop.

Property-based: random text never gets past the checks with anything but a QueryError, and a
SERVICE call is refused however it is hidden behind comments, line endings, case or escapes.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import QueryError
from ingest.sparql_check import bare_words, check_query, lexical_check, normalise


def test_normalise_makes_every_line_ending_a_newline() -> None:
    assert normalise("a\rb\r\nc\nd") == "a\nb\nc\nd"


def test_bare_words_skip_comments_strings_iris_and_names() -> None:
    text = (
        'PREFIX service: <http://x/SERVICE#from>\nSELECT ?from WHERE { ?s service:FROM "SERVICE" '
        '# SERVICE in a comment\n ?s <http://FROM> \'from\'@en . ?s ?p """long\nSERVICE""" }'
    )
    words = bare_words(text)
    assert "SERVICE" not in words and "FROM" not in words
    assert words[:3] == ["PREFIX", "SELECT", "WHERE"]


def test_lexical_check_sees_what_a_comment_ended_by_cr_hid() -> None:
    text = normalise("SELECT * WHERE { ?s ?p ?o # x\r SERVICE <http://h/> { ?a ?b ?c } }")
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        lexical_check(text)


def test_lexical_check_expands_codepoint_escapes() -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        lexical_check("SELECT * { SERV\\u0049CE <urn:x> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="updates are not allowed"):
        lexical_check("\\U00000049NSERT DATA { <urn:a> <urn:b> <urn:c> }")


@pytest.mark.parametrize(
    ("text", "kind", "limit"),
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", "select", True),
        ("PREFIX a: <urn:a:> ASK { ?s a:p ?o }", "ask", False),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "construct", False),
        ("DESCRIBE <urn:x>", "construct", False),
    ],
)
def test_query_forms(text: str, kind: str, limit: bool) -> None:
    checked = check_query(text)
    assert (checked.kind, checked.has_limit) == (kind, limit)
    assert checked.text == text


def test_checked_text_is_the_normalised_text() -> None:
    checked = check_query("SELECT * WHERE {\r\n ?s ?p ?o # c\r}")
    assert checked.text == "SELECT * WHERE {\n ?s ?p ?o # c\n}"


# --- properties ------------------------------------------------------------------------------

ENDINGS = st.sampled_from(["\r", "\n", "\r\n"])
COMMENT = st.builds(
    lambda body, end: "#" + body + end,
    st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=20),
    ENDINGS,
)
NOISE = st.lists(
    st.one_of(
        COMMENT,
        st.sampled_from([" ", "\t", "\r", "\n", '"a#b" ', "<urn:a#b> ", "?x ", "'''#\n''' "]),
    ),
    max_size=6,
).map("".join)


def _spell(word: str, choices: list[int]) -> str:
    """`word` with each letter in random case, or as a \\u escape."""
    out = []
    for letter, choice in zip(word, choices, strict=True):
        if choice == 0:
            out.append(letter.lower())
        elif choice == 1:
            out.append(letter.upper())
        else:
            out.append(f"\\u{ord(letter.upper()):04X}")
    return "".join(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=NOISE,
    after=NOISE,
    spelling=st.lists(st.integers(0, 2), min_size=7, max_size=7),
    silent=st.booleans(),
)
def test_a_hidden_service_is_always_refused(
    before: str, after: str, spelling: list[int], silent: bool
) -> None:
    keyword = _spell("SERVICE", spelling) + (" SILENT" if silent else "")
    text = (
        "SELECT * WHERE { ?s ?p ?o . "
        + before
        + keyword
        + " <http://127.0.0.1:9/> { ?a ?b ?c }"
        + after
        + "\n}"
    )
    with pytest.raises(QueryError):
        check_query(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_random_text_gets_a_query_error_or_passes(text: str) -> None:
    try:
        checked = check_query(text)
    except QueryError:
        return
    assert "SERVICE" not in bare_words(checked.text)
    assert checked.kind in ("select", "ask", "construct")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "SELECT",
                "*",
                "WHERE",
                "{",
                "}",
                "?s",
                "?p",
                "?o",
                ".",
                "SERVICE",
                "FROM",
                "<urn:x>",
                "#c\r",
                "#c\n",
                '"s"',
                "OPTIONAL",
                "FILTER",
                "(",
                ")",
                "||",
                "1",
                "GRAPH",
                "INSERT",
                "DATA",
                "LIMIT",
                "10",
                "ASK",
                "UNION",
                "\r",
                "\n",
                " ",
            ]
        ),
        max_size=40,
    ).map(" ".join)
)
def test_random_token_soup_never_lets_service_through(text: str) -> None:
    try:
        checked = check_query(text)
    except QueryError:
        return
    words = bare_words(checked.text)
    assert not {"SERVICE", "FROM", "INSERT"} & set(words)


@pytest.mark.parametrize("text", ["#", "# only a comment\r", "#c\r\n# and another\n"])
def test_a_text_of_comments_only_is_a_query_error(text: str) -> None:
    """Found by the property tests: rdflib's update parser returned no request list (TypeError)."""
    with pytest.raises(QueryError):
        check_query(text)
