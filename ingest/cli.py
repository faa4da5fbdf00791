"""The `spacekg` command line: one command per verb over the same library the app uses.

Errors reach the user as one line (what, where, what to do) and a non-zero exit code, never a
traceback; set SPACEKG_DEBUG=1 to see one.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .cli_common import err, out, state
from .errors import SpacekgError
from .iri import is_source_graph, local_part
from .store import (
    EXPORT_FORMATS,
    guess_format,
    internal_query,
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="spacekg: a knowledge graph of NATO space doctrine, actors and threats.",
)


@app.callback()
def _global(
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", help="Embedded store directory [env SPACEKG_STORE; default data/store]"
        ),
    ] = None,
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", help="SPARQL 1.1 query URL of a server [env SPACEKG_ENDPOINT]"),
    ] = None,
    update_endpoint: Annotated[
        str | None,
        typer.Option(
            "--update-endpoint", help="SPARQL update URL (default: guessed from --endpoint)"
        ),
    ] = None,
) -> None:
    state.store_dir = store
    state.endpoint = endpoint
    state.update_endpoint = update_endpoint


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively)")],
    min_confidence: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Facts below this confidence are kept for review, not asserted "
            "[default: SPACEKG_MIN_CONFIDENCE, or the review threshold chosen on dev "
            "and recorded with the trained pipeline]",
        ),
    ] = None,
    max_bytes: Annotated[
        int | None,
        typer.Option(min=1, help="Refuse larger files [default: SPACEKG_MAX_FILE_BYTES or 10 MiB]"),
    ] = None,
) -> None:
    """Add source documents (md, txt, html, pdf) to the graph, with evidence for every fact."""
    from dataclasses import replace

    from .pipeline import ingest_paths

    settings = state.settings()
    if min_confidence is not None:
        settings = replace(settings, min_confidence=min_confidence)
    if max_bytes is not None:
        settings = replace(settings, max_file_bytes=max_bytes)
    store = state.store()
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", markup=False),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, current: str) -> None:
            bar.update(task, completed=done, total=total, description=Path(current).name[:40])

        report = ingest_paths(store, paths, settings, progress)
    seconds = time.perf_counter() - started
    table = Table(title=f"ingest: {len(report.outcomes)} file(s) in {seconds:.1f} s")
    for column in ("file", "status", "id", "facts", "review", "rejected", "entities"):
        table.add_column(
            column,
            justify="right" if column in ("facts", "review", "rejected", "entities") else "left",
        )
    for o in report.outcomes:
        cells = (o.status, o.docid[:10], o.facts, o.review, o.rejected, o.entities)
        table.add_row(Text(Path(o.source).name), *(Text(str(c)) for c in cells))
    out.print(table)
    for o in report.outcomes:
        for note in o.notes:
            out.print(f"  note {Path(o.source).name}: {note}", markup=False, emoji=False)
    for o in report.failed:
        err.print(f"error: {o.error}", markup=False, emoji=False)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def docs() -> None:
    """List ingested documents with title, date, kind and fact count."""
    from .pipeline import list_documents

    table = Table()
    for column in ("id", "date", "kind", "facts", "review", "title"):
        table.add_column(column)
    for rec in list_documents(state.reader()):
        table.add_row(
            rec.docid, rec.date, rec.kind, str(rec.facts), str(rec.review), rec.title[:70]
        )
    out.print(table)


@app.command()
def remove(
    ref: Annotated[str, typer.Argument(help="Document id (or 6+ char prefix), path or url")],
) -> None:
    """Remove an ingested document and everything extracted from it."""
    from .pipeline import remove_document

    for rec in remove_document(state.store(), ref):
        out.print(f"removed {rec.docid} {rec.title}")


@app.command()
def validate() -> None:
    """Check the whole store against the SHACL shapes, graph by graph; exit 1 on violations."""
    from .iri import REFERENCE_GRAPH, is_review_graph
    from .ontology import ontology_and_reference, ontology_graph
    from .review import decision_graph_problem
    from .validate import validate_graph, validate_source_graph

    store = state.store()
    store.ensure_reference()
    failures = 0
    started = time.perf_counter()
    reviews = [g for g in store.graph_names() if is_review_graph(g)]
    names = [REFERENCE_GRAPH, *store.source_graph_names(), *reviews]
    for name in names:
        label = str(name).rsplit("/graph/", 1)[-1]
        if name in reviews:
            problem = decision_graph_problem(name, store.graph(name))
            failures += problem is not None
            out.print(f"{label}: {problem or 'conforms'}", markup=False, emoji=False)
            continue
        if name == REFERENCE_GRAPH:
            report = validate_graph(store.graph(name), extra=ontology_graph())
        else:
            report = validate_source_graph(store.graph(name), name, extra=ontology_and_reference())
        if report.conforms:
            out.print(f"{label}: conforms", markup=False, emoji=False)
        else:
            failures += 1
            out.print(f"{label}: {len(report.violations)} violation(s)", markup=False, emoji=False)
            out.print(report.summary(), markup=False, emoji=False, soft_wrap=True)
    out.print(f"validated {len(names)} graph(s) in {time.perf_counter() - started:.2f} s")
    if failures:
        raise typer.Exit(1)


@app.command("export")
def export_(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="nquads | trig | turtle | jsonld | stix")
    ] = "nquads",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default: stdout)")
    ] = None,
) -> None:
    """Write all named graphs (turtle merges them into one graph), or a STIX 2.1 bundle."""
    if fmt == "stix":
        from .cli_stix import write_stix

        write_stix(state.reader(), output)
        return
    if fmt not in EXPORT_FORMATS:
        raise SpacekgError(
            f"unknown format '{fmt}'", "--format", "use " + ", ".join([*EXPORT_FORMATS, "stix"])
        )
    store = state.reader()
    if output is None:
        store.export(fmt, sys.stdout.buffer)
    else:
        with output.open("wb") as handle:
            store.export(fmt, handle)
        err.print(f"wrote {output}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="An export in N-Quads, TriG or JSON-LD")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="nquads | trig | jsonld [default: from the suffix]"),
    ] = None,
    max_bytes: Annotated[
        int | None, typer.Option(min=1, help="Refuse larger files [default: 256 MiB]")
    ] = None,
) -> None:
    """Restore document graphs from an export: checked first, then written all at once."""
    from .restore import DEFAULT_MAX_IMPORT_BYTES, read_import, write_plan

    # Parse and validate before opening the store, so its lock is not held meanwhile.
    plan = read_import(
        file, fmt or guess_format(file), max_bytes=max_bytes or DEFAULT_MAX_IMPORT_BYTES
    )
    result = write_plan(state.store(), plan)
    for line in result.lines():
        out.print(line, markup=False, soft_wrap=True)


@app.command()
def stats() -> None:
    """Counts: graphs, triples, documents, entities by class, facts and evidence."""
    store = state.reader()
    sizes = {
        str(r["g"]): int(r["n"])
        for r in store.query(internal_query("graph_sizes"), default_graph=[]).rows
    }
    table = Table(title=store.description)
    table.add_column("what")
    table.add_column("count", justify="right")
    sources = [g for g in sizes if is_source_graph(g)]
    table.add_row("triples (all graphs)", str(sum(sizes.values())))
    for name in ("ontology", "reference", "inferred"):
        key = next((g for g in sizes if g.endswith("/graph/" + name)), None)
        table.add_row(f"triples in {name}", str(sizes.get(key, 0) if key else 0))
    table.add_row("source documents", str(len(sources)))
    table.add_row("triples in source documents", str(sum(sizes[g] for g in sources)))
    for row in store.query(internal_query("class_counts")).rows:
        table.add_row(local_part(row["class"]), str(row["n"]))
    out.print(table)


@app.command()
def reason(
    engine: Annotated[str, typer.Option(help="auto | hermit | owlrl")] = "auto",
) -> None:
    """Run the OWL reasoner; inferred triples go to their own graph, replaced on each run."""
    from .reason import reason_store

    result = reason_store(state.store(), engine=engine)  # type: ignore[arg-type]
    if not result.consistent:
        err.print("error: the graph is inconsistent:")
        for clash in result.clashes:
            err.print(f"  {clash}")
        raise typer.Exit(1)
    out.print(
        f"{result.engine}: consistent; {len(result.inferred)} inferred triple(s) from "
        f"{result.triples_in} in {result.seconds:.1f} s (graph https://w3id.org/spacekg/graph/inferred)"
    )


@app.command()
def queries() -> None:
    """List the query library with summaries and parameters."""
    from .queries import list_queries

    for spec in list_queries():
        out.print(f"[bold]{escape(spec.name)}[/bold]  {escape(spec.summary)}", markup=True)
        for param in spec.params:
            default = f" (default {param.default})" if param.default not in (None, "") else ""
            need = "" if not getattr(param, "required", False) else " required"
            out.print(
                f"    --param {param.name}=<{param.type}>{need}{default}  {param.description}"
            )


def _parse_params(params: list[str]) -> dict[str, str]:
    parsed = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SpacekgError(
                f"parameter '{item}' is not key=value",
                "--param",
                "e.g. --param actor=skgid:actor/russia",
            )
        parsed[key.strip()] = value
    return parsed


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A query from `spacekg queries`")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="k=v, repeatable")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | csv | json")] = "table",
) -> None:
    """Run a library query with bound parameters."""
    from .queries import format_result, run_query

    store = state.reader()  # a new store answers from the curated data too
    result = run_query(store, name, _parse_params(param or []))
    _write_verbatim(format_result(result, fmt))


@app.command()
def sparql(
    text: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read one")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | csv | json")] = "table",
    exclude_inferred: Annotated[bool, typer.Option("--exclude-inferred")] = False,
    exclude_review: Annotated[bool, typer.Option("--exclude-review")] = False,
    timeout: Annotated[
        float | None,
        typer.Option(min=0.1, help="Seconds [default: SPACEKG_QUERY_TIMEOUT or 10]"),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(min=1, help="Rows [default: SPACEKG_QUERY_ROW_LIMIT or 10000]"),
    ] = None,
    memory: Annotated[
        int | None,
        typer.Option(min=64, help="MiB of memory [default: SPACEKG_QUERY_MEMORY_MB or 1024]"),
    ] = None,
) -> None:
    """Run a read-only SPARQL query, with the console's time and row limits."""
    from .console import QueryLimits
    from .queries import format_result

    if text.startswith("@"):
        path = Path(text[1:])
        if not path.is_file():
            raise SpacekgError("query file not found", str(path), "check the path after @")
        text = path.read_text(encoding="utf-8")
    settings = state.settings()
    exclude = {
        name for name, on in (("inferred", exclude_inferred), ("review", exclude_review)) if on
    }
    limits = QueryLimits(
        timeout_s=timeout if timeout is not None else settings.query_timeout_s,
        row_limit=limit if limit is not None else settings.query_row_limit,
        memory_mb=memory if memory is not None else settings.query_memory_mb,
    )
    result = state.reader().user_query(text, limits, frozenset(exclude))
    _write_verbatim(format_result(result, fmt))
    if getattr(result, "truncated", False):
        err.print(f"note: stopped at the row limit ({limits.row_limit}); raise it with --limit")


def _write_verbatim(text: str) -> None:
    """Results byte for byte (CSV line endings, tabs): not through rich, which reflows text."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def _register_review() -> None:
    from .cli_review import review_app

    app.add_typer(review_app, name="review")


def _register_serve() -> None:
    from .cli_serve import serve

    app.command("serve")(serve)


def _register_virtuoso() -> None:
    from .cli_virtuoso import virtuoso_load

    app.command("virtuoso-load")(virtuoso_load)


_register_review()
_register_serve()
_register_virtuoso()


def main() -> None:
    """Console-script entry point: runs the CLI and turns errors into one line."""
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except SpacekgError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(1)
    except Exception as exc:  # a user never sees a traceback
        # Typer may carry its own copy of click's exceptions, so match on behaviour, not class.
        if hasattr(exc, "exit_code") and type(exc).__name__ == "Exit":
            sys.exit(exc.exit_code)
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code)
        if type(exc).__name__ == "Abort":
            err.print("aborted")
            sys.exit(130)
        if os.environ.get("SPACEKG_DEBUG"):
            raise
        err.print(
            f"error: internal error ({exc.__class__.__name__}: {exc}) — "
            "rerun with SPACEKG_DEBUG=1 and report it",
            markup=False,
        )
        sys.exit(2)
    finally:
        if state._store is not None:
            state._store.close()


if __name__ == "__main__":
    main()
