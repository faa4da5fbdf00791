"""`spacekg review`: list the facts held for review, accept or reject one.

The verbs live beside `cli` (which registers them) to keep each module to one job; they call
`ingest.review`, as the app does.
"""

from __future__ import annotations

from typing import Annotated

import typer

review_app = typer.Typer(
    help="Facts held for review (below the confidence threshold): list, accept, reject.",
    no_args_is_help=True,
)


def _short(node: object) -> str:
    from .iri import curie_of, local_part

    return curie_of(node) or (f"skg:{local_part(node)}" if "#" in str(node) else str(node))


@review_app.command("list")
def review_list(
    limit: Annotated[int, typer.Option(help="Show at most this many")] = 20,
) -> None:
    """Undecided facts, most confident first: id, fact, confidence, document and sentence."""
    from .cli_common import out, state
    from .review import pending

    items = pending(state.reader(), limit=limit)
    if not items:
        out.print("no facts are waiting for review")
    for item in items:
        out.print(
            f"{_short(item.evidence)}  {_short(item.subject)} {_short(item.predicate)} "
            f"{_short(item.object)}  ({item.confidence:.2f}, {item.title})"
        )
        out.print(f"    \u201c{item.sentence}\u201d", soft_wrap=True)


def _decide(evidence: str, verdict: str, by: str) -> None:
    from .cli_common import out, state
    from .review import decide, evidence_ref

    decision = decide(state.store(), evidence_ref(evidence), verdict, by)  # type: ignore[arg-type]
    out.print(
        f"{decision.verdict}: {_short(decision.subject)} {_short(decision.predicate)} "
        f"{_short(decision.object)} (by {decision.reviewer}, {decision.time})"
    )


@review_app.command("accept")
def review_accept(
    evidence: Annotated[str, typer.Argument(help="Evidence id from `spacekg review list`")],
    by: Annotated[str, typer.Option("--by", help="Your name, recorded with the decision")],
) -> None:
    """Assert the fact, recording who accepted it and when."""
    _decide(evidence, "accepted", by)


@review_app.command("reject")
def review_reject(
    evidence: Annotated[str, typer.Argument(help="Evidence id from `spacekg review list`")],
    by: Annotated[str, typer.Option("--by", help="Your name, recorded with the decision")],
) -> None:
    """Keep the fact out of the graph, also when its document is ingested again."""
    _decide(evidence, "rejected", by)
