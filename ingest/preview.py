"""The Add page's extraction in a worker process, so a long preview never blocks other sessions.

Streamlit runs every session as a thread of one process: a spaCy run in one session's script
thread holds the GIL for seconds and every other session waits. `start_extraction` hands the
texts to one long-lived worker process (spawned, never forked from the server's threads; the
pipeline is loaded once per worker), which reports each chunk on a queue. The caller polls
`ExtractionJob.progress()` and `done()`, then builds and validates the document graph itself
(`pipeline.prepare(..., extractions=...)`), so the prepared document stays committable.
"""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import SpacekgError

if TYPE_CHECKING:
    from .extraction import Extraction
    from .load import SourceText

_LOCK = threading.Lock()
_POOL: ProcessPoolExecutor | None = None
_QUEUE: Any = None  # the workers' progress messages: (job, done, total)
_PROGRESS: dict[int, tuple[int, int]] = {}
_JOBS = itertools.count(1)
_WORKER_QUEUE: Any = None  # set in the worker by _init


def _init(progress: Any) -> None:
    """In the worker: keep the progress queue and load the pipeline before the first job."""
    global _WORKER_QUEUE
    _WORKER_QUEUE = progress
    from .nlp import build_pipeline

    build_pipeline()


def _extract(job: int, sources: list[SourceText]) -> list[Extraction]:
    """In the worker: the pipeline over the texts, one progress message per chunk."""
    from .nlp import extract

    def report(done: int, total: int) -> None:
        _WORKER_QUEUE.put((job, done, total))

    extractions = extract(sources, progress=report)
    for extraction in extractions:
        extraction.doc = None  # a spaCy Doc does not travel between processes; nothing needs it
    return extractions


def _pool() -> ProcessPoolExecutor:
    global _POOL, _QUEUE
    if _POOL is None:
        context = multiprocessing.get_context("spawn")
        _QUEUE = context.Queue()
        # One worker: previews queue up rather than take both CPUs from the server.
        _POOL = ProcessPoolExecutor(
            max_workers=1, mp_context=context, initializer=_init, initargs=(_QUEUE,)
        )
    return _POOL


@dataclass
class ExtractionJob:
    """One preview's extraction running in the worker process."""

    job: int
    future: Future[list[Extraction]]

    def progress(self) -> tuple[int, int]:
        """(chunks done, chunks in all) so far; (0, 0) before the worker starts on it."""
        with _LOCK:
            while True:
                try:
                    job, done, total = _QUEUE.get_nowait()
                except (queue.Empty, OSError, ValueError):
                    break
                _PROGRESS[job] = (done, total)
            return _PROGRESS.get(self.job, (0, 0))

    def done(self) -> bool:
        return self.future.done()

    def result(self) -> list[Extraction]:
        """The extractions; a dead worker becomes a SpacekgError (and a fresh worker next time)."""
        try:
            return self.future.result()
        except BrokenProcessPool as exc:
            _reset()
            raise SpacekgError(
                "the preview's language worker stopped (out of memory?)",
                "Add document",
                "try a shorter text, or ingest the file with `spacekg ingest`",
            ) from exc
        finally:
            with _LOCK:
                _PROGRESS.pop(self.job, None)


def _reset() -> None:
    global _POOL
    with _LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
        _POOL = None


def start_extraction(sources: list[SourceText]) -> ExtractionJob:
    """Send texts to the worker process; returns at once (a dead worker is replaced once)."""
    for attempt in (1, 2):
        with _LOCK:
            job = next(_JOBS)
            try:
                return ExtractionJob(job, _pool().submit(_extract, job, sources))
            except (BrokenProcessPool, RuntimeError):
                if attempt == 2:
                    raise
        _reset()
    raise AssertionError("unreachable")
