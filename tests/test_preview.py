"""ingest.preview: the Add page's extraction in a worker process gives what the pipeline gives."""

from __future__ import annotations

import os
import signal

from ingest import preview
from ingest.load import load_text
from ingest.nlp import extract

FENGYUN = (
    "On 11 January 2007 China conducted a direct-ascent anti-satellite missile test that "
    "destroyed the Fengyun-1C weather satellite."
)


def _found(extraction) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    return [(m.start_char, m.end_char, str(m.iri)) for m in extraction.mentions]


def test_the_worker_extracts_what_the_pipeline_does_in_another_process() -> None:
    source = load_text(FENGYUN, title="China's 2007 ASAT test")
    job = preview.start_extraction([source])
    (remote,) = job.result()
    assert job.done() and job.progress() == (1, 1)  # one chunk, reported
    assert preview._WORKER is not None and preview._WORKER.pid != os.getpid()
    (local,) = extract([source])
    assert _found(remote) and _found(remote) == _found(local)
    assert {(str(r.subject), str(r.predicate)) for r in remote.relations} == {
        (str(r.subject), str(r.predicate)) for r in local.relations
    }


def test_a_killed_worker_is_replaced_for_the_next_preview() -> None:
    source = load_text(FENGYUN, title="again")
    preview.start_extraction([source]).result()
    assert preview._WORKER is not None
    first = preview._WORKER.pid
    os.kill(first, signal.SIGKILL)
    preview._WORKER.wait()
    (again,) = preview.start_extraction([source]).result()
    assert preview._WORKER.pid != first
    assert _found(again)
