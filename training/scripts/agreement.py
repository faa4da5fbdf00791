"""Inter-annotator agreement on the documents annotated twice.

    python training/scripts/agreement.py [--second training/agreement/b1] [--show]

Compares each record in the second annotator's folder with the record of the same id in
training/annotated/. Span F1: same offsets and label (also: same offsets, any label). Relation
F1: same property between spans with the same offsets. With --show, lists the disagreements.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ingest.corpus import ANNOTATED_DIR, TRAINING_DIR, Record, load_corpus


def _f1(a: set, b: set) -> tuple[float, float, float]:
    both = len(a & b)
    p = both / len(b) if b else 0.0
    r = both / len(a) if a else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def spans(record: Record, typed: bool = True) -> set[tuple]:
    return {(s.start, s.end, s.label) if typed else (s.start, s.end) for s in record.spans}


def relations(record: Record) -> set[tuple]:
    out = set()
    for rel in record.relations:
        head, child = record.spans[rel.head], record.spans[rel.child]
        out.add(((head.start, head.end), rel.label, (child.start, child.end)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--second", type=Path, default=TRAINING_DIR / "agreement" / "b1")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    first = {r.id: r for r in load_corpus(ANNOTATED_DIR)}
    second = [r for r in load_corpus(args.second) if r.id in first]
    if not second:
        print("no document is annotated twice", file=sys.stderr)
        return 1
    totals = {"typed": [set(), set()], "offsets": [set(), set()], "relations": [set(), set()]}
    print(f"{'document':<10}{'span F1':>9}{'offsets F1':>12}{'relation F1':>13}")
    for b in second:
        a = first[b.id]
        row = []
        for key, get in (
            ("typed", spans),
            ("offsets", lambda r: spans(r, typed=False)),
            ("relations", relations),
        ):
            sa, sb = {(b.id, *x) for x in get(a)}, {(b.id, *x) for x in get(b)}
            totals[key][0] |= sa
            totals[key][1] |= sb
            row.append(_f1(sa, sb)[2])
        print(f"{b.id:<10}{row[0]:>9.2f}{row[1]:>12.2f}{row[2]:>13.2f}")
        if args.show:
            text = a.text
            for s in sorted(spans(a) ^ spans(b)):
                who = a.annotator if s in spans(a) else b.annotator
                print(f"    span only {who}: {text[s[0] : s[1]]!r} {s[2]}")
            for rel in sorted(relations(a) ^ relations(b)):
                who = a.annotator if rel in relations(a) else b.annotator
                head, label, child = rel
                print(
                    f"    relation only {who}: {text[head[0] : head[1]]!r} {label} {text[child[0] : child[1]]!r}"
                )
    print("-" * 44)
    overall = [_f1(*totals[k])[2] for k in ("typed", "offsets", "relations")]
    print(f"{'overall':<10}{overall[0]:>9.2f}{overall[1]:>12.2f}{overall[2]:>13.2f}")
    print(
        f"({len(second)} documents; spans {len(totals['typed'][0])} vs {len(totals['typed'][1])}, "
        f"relations {len(totals['relations'][0])} vs {len(totals['relations'][1])})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
