"""Turning annotators' drafts into corpus records, and moving records onto edited text.

A draft is a record whose spans may give `text` and `occurrence` (1-based, counted at token
boundaries) instead of offsets, and whose relations need no `sentence` (docs/annotation.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .corpus import (
    ANNOTATED_DIR,
    CorpusError,
    Record,
    Relation,
    Schema,
    Span,
    _occurrences,
    parse_record,
    sentences,
)


def resolve_draft(draft: dict[str, object], schema: Schema | None = None) -> Record:
    """A record from a draft whose spans give `text` (+ `occurrence`, 1-based) for offsets.

    The text is put in the form ingestion gives it (`ingest.load.normalise`), so offsets point
    into what the pipeline sees. Relation sentences are filled in: the sentence(s) from the
    first span to the second.
    """
    from .load import normalise

    text = normalise(str(draft.get("text") or ""))
    problems: list[str] = []
    spans: list[dict[str, object]] = []
    for n, raw in enumerate(draft.get("spans") or []):  # type: ignore[union-attr]
        raw = dict(raw)
        if "start" not in raw:
            needle = str(raw.get("text") or "")
            hits = _occurrences(text, needle) if needle else []
            nth = int(raw.get("occurrence") or 1)
            if not hits:
                problems.append(f"span {n} {needle!r}: not found at token boundaries")
                continue
            if nth > len(hits):
                problems.append(
                    f"span {n} {needle!r}: occurrence {nth}, but only {len(hits)} found"
                )
                continue
            raw["start"], raw["end"] = hits[nth - 1], hits[nth - 1] + len(needle)
        raw.pop("occurrence", None)
        spans.append(raw)
    if problems:
        raise CorpusError(f"{draft.get('id')}: " + "; ".join(problems))
    bounds = sentences(text)
    relations = []
    for raw in draft.get("relations") or []:  # type: ignore[union-attr]
        raw = dict(raw)
        if "sentence" not in raw:
            try:
                a, b = spans[int(raw["head"])], spans[int(raw["child"])]
            except (IndexError, KeyError, TypeError, ValueError):
                relations.append(raw)  # parse_record names the problem
                continue
            lo, hi = min(int(a["start"]), int(b["start"])), max(int(a["end"]), int(b["end"]))
            first = next((s for s in bounds if s[0] <= lo < s[1]), (lo, hi))
            last = next((s for s in bounds if s[0] < hi <= s[1]), (lo, hi))
            raw["sentence"] = [first[0], last[1]]
        relations.append(raw)
    return parse_record({**draft, "text": text, "spans": spans, "relations": relations}, schema)


def rebase(record: Record, text: str) -> Record:
    """The record with its offsets moved onto `text`, an edited form of its text (whitespace).

    Raises CorpusError when an annotated span did not survive the edit unchanged.
    """
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, record.text, text, autojunk=False)
    moved: dict[int, int] = {}
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            moved[a + k] = b + k

    def forward(i: int) -> int:
        while i < len(record.text) and i not in moved:
            i += 1
        return moved.get(i, len(text))

    def backward(i: int) -> int:  # an end offset (exclusive)
        while i > 0 and (i - 1) not in moved:
            i -= 1
        return moved[i - 1] + 1 if i > 0 else 0

    spans = []
    for n, span in enumerate(record.spans):
        start, end = forward(span.start), backward(span.end)
        if text[start:end] != record.text[span.start : span.end]:
            raise CorpusError(
                f"{record.id}: span {n} {record.span_text(n)!r} changed in the new text"
            )
        spans.append(Span(start, end, span.label, span.iri, span.value))
    relations = [
        Relation(r.head, r.child, r.label, (forward(r.sentence[0]), backward(r.sentence[1])))
        for r in record.relations
    ]
    return Record(record.id, text, record.meta, spans, relations, record.annotator)


def write_records(records: Iterable[Record], folder: Path = ANNOTATED_DIR) -> list[Path]:
    """One `{id}.jsonl` per record (one line each), so annotators never edit the same file."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for record in records:
        path = folder / f"{record.id}.jsonl"
        path.write_text(record.to_json() + "\n", encoding="utf-8")
        paths.append(path)
    return paths


__all__ = ["rebase", "resolve_draft", "write_records"]
