"""ingest.explore.terms: untrusted text made inert, IRIs as short names and back, timeline days."""

from __future__ import annotations

from ingest.explore.terms import (
    md_escape,
)

RUSSIA = "https://w3id.org/spacekg/id/actor/russia"


def test_labels_from_documents_cannot_inject_markdown_links_or_html() -> None:
    label = "[click](https://evil.example) <img src=x onerror=alert(1)> **bold**"
    escaped = md_escape(label)
    for raw, inert in (("[click]", "\\[click\\]"), ("<img", "\\<img"), ("**", "\\*\\*")):
        assert inert in escaped, (raw, escaped)
    assert escaped.replace("\\", "") == label
