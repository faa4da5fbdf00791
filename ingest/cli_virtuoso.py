"""`spacekg virtuoso-load`: a `spacekg export` into Virtuoso with its own bulk loader."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import out


def virtuoso_load(
    file: Annotated[Path, typer.Argument(help="An N-Quads export (spacekg export -o FILE.nq)")],
    server: Annotated[str, typer.Option(help="Virtuoso's SQL port, HOST:PORT")] = "127.0.0.1:1111",
    isql: Annotated[str, typer.Option(help="The isql client")] = "isql-vt",
) -> None:
    """Bulk-load an export into Virtuoso (named graphs kept; VIRTUOSO_USER / VIRTUOSO_PASSWORD,
    default dba / dba). The server reads the file: its folder must be in DirsAllowed."""
    from .virtuoso_load import bulk_load

    loaded = bulk_load(
        file,
        server,
        os.environ.get("VIRTUOSO_USER", "dba"),
        os.environ.get("VIRTUOSO_PASSWORD", "dba"),
        isql,
    )
    out.print(f"loaded {loaded} into {server}", markup=False, soft_wrap=True)
