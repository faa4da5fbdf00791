"""Bulk-load a `spacekg export` (N-Quads) into Virtuoso with its own loader, named graphs kept.

For big graphs: at 1M triples Virtuoso's loader (`ld_add` + `rdf_loader_run`, then a
checkpoint) is far faster than SPARQL updates (`spacekg import` sends updates). The server
reads the file itself, so its directory must be in `DirsAllowed` of virtuoso.ini. The loader
adds triples and does not replace graphs: load into an empty server, or drop the file's graphs
first. Triples outside a named graph go to <urn:spacekg:default-graph>, which spacekg does not
read as one of its graphs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from .errors import InputError, StoreError

# The settings spacekg needs (README: When one machine is not enough): CaseMode 2 (with the
# binary's own default, ASK answers come back as a one-row SELECT of ?__ASK_RETVAL),
# ResultSetMaxRows (its default, 10,000, silently cuts answers short), MaxSortedTopRows (its
# default, 10,000, refuses ORDER BY with a larger LIMIT); every file under `db`, both servers
# on loopback ports, `load` readable by the bulk loader.
VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage        = TempDatabase
[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CaseMode           = {case_mode}
DirsAllowed        = ., {load}
NumberOfBuffers    = {buffers}
MaxDirtyBuffers    = {dirty_buffers}
{threads}MaxSortedTopRows   = 1000000
[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {db}
ServerThreads      = 8
Charset            = UTF-8
[SPARQL]
ResultSetMaxRows   = 1000000
MaxQueryExecutionTime = {max_query_s}
"""


def virtuoso_ini(
    db: Path,
    load: Path,
    sql_port: int,
    http_port: int,
    *,
    buffers: int = 20_000,
    max_query_s: int = 60,
    threads_per_query: int | None = None,
    case_mode: int = 2,
) -> str:
    """A virtuoso.ini for a server of spacekg's own (tests, benchmarks); `buffers` are 8 KiB
    pages (250,000 = 2 GiB)."""
    threads = f"ThreadsPerQuery    = {threads_per_query}\n" if threads_per_query else ""
    return VIRTUOSO_INI.format(
        db=db,
        load=load,
        sql_port=sql_port,
        http_port=http_port,
        buffers=buffers,
        dirty_buffers=buffers * 3 // 4,
        threads=threads,
        max_query_s=max_query_s,
        case_mode=case_mode,
    )


DEFAULT_SERVER = "127.0.0.1:1111"
DEFAULT_ISQL = "isql-vt"  # Debian's name for Virtuoso's isql
DEFAULT_GRAPH = "urn:spacekg:default-graph"
# ll_state 2 = done, and no ll_error: the one line the script selects after loading.
_LOADED = re.compile(r"^LOADED +2 +NULL *$", re.M)


def load_script(path: Path) -> str:
    """The isql commands that load `path` (absolute, checked by `bulk_load`)."""
    file = str(path)
    return f"""
DELETE FROM DB.DBA.load_list WHERE ll_file = '{file}';
ld_add('{file}', '{DEFAULT_GRAPH}');
rdf_loader_run();
checkpoint;
SELECT 'LOADED', ll_state, ll_error FROM DB.DBA.load_list WHERE ll_file = '{file}';
"""


def bulk_load(
    file: Path,
    server: str = DEFAULT_SERVER,
    user: str = "dba",
    password: str = "dba",
    isql: str = DEFAULT_ISQL,
    timeout_s: float = 6 * 3600,
) -> Path:
    """Load `file` into the Virtuoso at `server` (HOST:SQL_PORT); the loaded path, or an error
    naming the file and the loader's own message."""
    try:
        path = file.resolve(strict=True)
    except OSError as exc:
        raise InputError(
            "no such file", str(file), "export one with: spacekg export -o FILE.nq"
        ) from exc
    if path.suffix not in (".nq", ".nquads"):
        raise InputError(
            "expected an N-Quads export (.nq)",
            str(path),
            "export one with: spacekg export -o FILE.nq",
        )
    # The path goes into isql's SQL text (isql has no parameters): refuse what could end or
    # escape its quotes, and control characters.
    if re.search(r"['\\\x00-\x1f]", str(path)):
        raise InputError(
            "a path with ', \\ or control characters cannot be passed to the loader",
            str(path),
            "rename the file or its folder",
        )
    if shutil.which(isql) is None:
        raise StoreError(
            f"{isql} is not installed",
            server,
            "install Debian's virtuoso-opensource (make virtuoso)",
        )
    argv = [isql, server, user, password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"]
    try:
        done = subprocess.run(
            [*argv, f"exec={load_script(path)}"],
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
    except subprocess.TimeoutExpired as exc:
        raise StoreError(f"the load ran past {timeout_s:g} s", server, "check the server") from exc
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0 or "*** Error" in output or not _LOADED.search(output):
        raise StoreError(f"{path} was not loaded: {output}", server, "")
    return path
