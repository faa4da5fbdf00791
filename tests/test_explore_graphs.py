"""ingest.explore.graphs: DOT text that labels cannot break, relations read from query results."""

from __future__ import annotations

import re

from ingest.explore.graphs import to_dot

ID = "https://w3id.org/spacekg/id/"
RUSSIA = ID + "actor/russia"


def test_dot_labels_cannot_break_out_of_their_quotes() -> None:
    evil = 'x"]; injected [label="pwned'
    dot = to_dot({"a": evil, "b": "line\nbreak"}, [("a", 'rel"', "b", "asserted")], center="a")
    node_lines = [line for line in dot.splitlines() if re.match(r"\s*n\d+ ", line)]
    assert len(node_lines) == 3  # two nodes and one edge: the label did not add a statement
    quoted = re.search(r'n0 \[label="((?:[^"\\]|\\.)*)"', dot)
    assert quoted and re.sub(r"\\(.)", r"\1", quoted.group(1)) == evil  # one whole label
    assert 'n1 [label="line break"]' in dot
