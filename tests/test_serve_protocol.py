"""Reading SPARQL protocol requests: every rule of section 2.1, without a network."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.console import ProtocolDataset
from ingest.errors import RequestError
from ingest.serve_protocol import DIRECT, FORM, ProtocolQuery, media_type, read_protocol

G1, G2 = "https://w3id.org/spacekg/graph/a", "https://w3id.org/spacekg/graph/b"


def status(method: str, query_string: bytes, content_type: str | None, body: bytes) -> int:
    with pytest.raises(RequestError) as caught:
        read_protocol(method, query_string, content_type, body)
    return caught.value.status


def test_get_form_and_direct_read_the_same_query() -> None:
    expected = ProtocolQuery('ASK { ?s ?p "é" }')
    assert read_protocol("GET", b"query=ASK+%7B+%3Fs+%3Fp+%22%C3%A9%22+%7D", None, b"") == expected
    body = b"query=ASK+%7B+%3Fs+%3Fp+%22%C3%A9%22+%7D"
    assert read_protocol("POST", b"", FORM + "; charset=UTF-8", body) == expected
    assert read_protocol("POST", b"", DIRECT, expected.text.encode()) == expected


def test_dataset_from_url_and_form_body() -> None:
    query = read_protocol(
        "POST", f"default-graph-uri={G1}&named-graph-uri={G2}".encode(), DIRECT, b"ASK {}"
    )
    assert query.dataset == ProtocolDataset((G1,), (G2,))
    query = read_protocol("POST", b"", FORM, f"query=ASK{{}}&default-graph-uri={G1}".encode())
    assert query.dataset == ProtocolDataset((G1,), ())
    assert read_protocol("GET", b"query=ASK{}", None, b"").dataset is None


@pytest.mark.parametrize(
    ("method", "query_string", "content_type", "body", "expected"),
    [
        ("PUT", b"query=ASK{}", None, b"", 405),
        ("GET", b"query=ASK{}&query=ASK{}", None, b"", 400),
        ("GET", b"", None, b"", 400),
        ("GET", b"update=CLEAR+ALL", None, b"", 403),
        ("POST", b"", "text/plain", b"ASK {}", 415),
        ("POST", b"", None, b"query=ASK{}", 415),
        ("POST", b"", DIRECT + "; charset=UTF-16", "ASK {}".encode("utf-16"), 415),
        ("POST", b"", DIRECT, b'ASK { ?s ?p "\xe9" }', 400),
        ("POST", b"query=ASK{}", DIRECT, b"ASK {}", 400),
        ("POST", b"", "application/sparql-update", b"CLEAR ALL", 403),
        ("POST", b"", FORM, b"update=CLEAR+ALL", 403),
        ("POST", b"", FORM, b"query=ASK{}&using-graph-uri=urn:g", 403),
        ("GET", b"query=%FF", None, b"", 400),
    ],
)
def test_protocol_errors(
    method: str, query_string: bytes, content_type: str | None, body: bytes, expected: int
) -> None:
    assert status(method, query_string, content_type, body) == expected


def test_messages_say_what_to_do() -> None:
    with pytest.raises(RequestError) as caught:
        read_protocol("POST", b"", None, b"ASK {}")
    assert "no Content-Type" in str(caught.value) and DIRECT in str(caught.value)
    with pytest.raises(RequestError) as caught:
        read_protocol("GET", b"query=a&query=b&query=c", None, b"")
    assert "3 queries" in str(caught.value) and "exactly one" in str(caught.value)


def test_too_many_fields() -> None:
    fields = b"&".join(b"named-graph-uri=urn:g%d" % i for i in range(2000))
    assert status("GET", b"query=ASK{}&" + fields, None, b"") == 400


def test_media_type() -> None:
    assert media_type('Application/SPARQL-Query ; charset="UTF-8"') == (DIRECT, "utf-8")
    assert media_type(None) == ("", None)


@given(st.binary(max_size=300), st.sampled_from([None, FORM, DIRECT, "text/plain", ""]))
def test_untrusted_requests_raise_only_request_errors(
    body: bytes, content_type: str | None
) -> None:
    for method in ("GET", "POST"):
        try:
            read_protocol(method, body, content_type, body)
        except RequestError as exc:
            assert 400 <= exc.status < 500
