"""`spacekg serve`: the store as a read-only SPARQL 1.1 endpoint (the verb; the server is
`ingest.serve`). Registered by `cli`; imports the server only when the verb runs."""

from __future__ import annotations

from typing import Annotated

import typer

DEFAULT_HOST = "127.0.0.1"


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (anything but loopback warns)")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 7879,
    timeout: Annotated[
        float | None,
        typer.Option(min=0.1, help="Seconds per query [default: SPACEKG_QUERY_TIMEOUT or 10]"),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(min=1, help="Rows per answer [default: SPACEKG_QUERY_ROW_LIMIT or 10000]"),
    ] = None,
    memory: Annotated[
        int | None,
        typer.Option(min=64, help="MiB per query [default: SPACEKG_QUERY_MEMORY_MB or 1024]"),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Queries run at once")] = 2,
    max_body: Annotated[
        int, typer.Option(min=1024, help="Largest request body, bytes [default: 1 MiB]")
    ] = 1024 * 1024,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(help="Web origins whose pages may query it (repeatable) [default: * (any)]"),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Another Host name clients use to reach it (repeatable) [default: loopback "
            "names and --host; any when bound to 0.0.0.0]"
        ),
    ] = None,
) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint at /sparql, with the console's limits."""
    import logging

    from .cli_common import err, state
    from .console import QueryLimits
    from .errors import SpacekgError
    from .serve import (
        ServeConfig,
        allowed_hosts_for,
        bind_warning,
        run_server,
        summarise_store,
    )

    settings = state.settings()
    if state.endpoint or (state.store_dir is None and settings.endpoint):
        raise SpacekgError(
            "serve publishes the embedded store, not a SPARQL server",
            "--endpoint / SPACEKG_ENDPOINT",
            "point clients at that server's own endpoint, or pass --store DIR",
        )
    store_dir = state.store_dir or settings.store_dir
    limits = QueryLimits(
        timeout_s=timeout if timeout is not None else settings.query_timeout_s,
        row_limit=limit if limit is not None else settings.query_row_limit,
        memory_mb=memory if memory is not None else settings.query_memory_mb,
    )
    config = ServeConfig(
        store_dir=store_dir.resolve(),
        summary=summarise_store(store_dir),
        limits=limits,
        max_body_bytes=max_body,
        workers=workers,
        cors_origins=tuple(cors_origin or ["*"]),
        allowed_hosts=allowed_hosts_for(host, allowed_host or ()),
    )
    warning = bind_warning(host)
    if warning:
        err.print(warning)
    shown = f"[{host}]" if ":" in host else host
    err.print(
        f"serving {config.summary.name} ({config.summary.triples:,} triples) read-only at "
        f"http://{shown}:{port}/sparql — {limits.timeout_s:g} s, {limits.row_limit:,} rows, "
        f"{limits.memory_mb:,} MiB per query; Ctrl-C stops"
    )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    run_server(config, host, port)
