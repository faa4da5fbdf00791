"""The Add page's extraction in a worker process, so a long preview never blocks other sessions.

Streamlit runs every session as a thread of one process: a spaCy run in one session's script
thread holds the GIL for seconds and every other session waits. `start_extraction` hands the
texts to one long-lived worker process (`python -m ingest.preview`, started with the server's
`sys.path`; the pipeline is loaded once per worker), which sends a message per chunk. The caller
polls `ExtractionJob.progress()` and `done()`, then builds and validates the document graph
itself (`pipeline.prepare(..., extractions=...)`), so the prepared document stays committable.

A plain subprocess rather than `multiprocessing`: its spawn start method re-imports the
parent's `__main__`, which in a Streamlit server is the app script. Frames are pickles between
this process and its own child only. Previews queue for the one worker (2 CPUs serve the app).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from .errors import SpacekgError

if TYPE_CHECKING:
    from .extraction import Extraction
    from .load import SourceText

_WORKER_LOCK = threading.Lock()  # one job at a time talks to the worker
_WORKER: subprocess.Popen[bytes] | None = None


def _worker() -> subprocess.Popen[bytes]:
    """The running worker process, started (again) when needed; call with _WORKER_LOCK held."""
    global _WORKER
    if _WORKER is None or _WORKER.poll() is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        _WORKER = subprocess.Popen(
            [sys.executable, "-m", "ingest.preview"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
    return _WORKER


def _stopped(why: str) -> SpacekgError:
    return SpacekgError(
        f"the preview's language worker stopped ({why})",
        "Add document",
        "try again, or a shorter text; large files go in with `spacekg ingest`",
    )


@dataclass
class ExtractionJob:
    """One preview's extraction, sent to the worker process by a thread of its own."""

    sources: list[SourceText]
    chunks: tuple[int, int] = (0, 0)
    extractions: list[Extraction] | None = None
    error: SpacekgError | None = None
    finished: threading.Event = field(default_factory=threading.Event)

    def progress(self) -> tuple[int, int]:
        """(chunks done, chunks in all) so far; (0, 0) while it waits for the worker."""
        return self.chunks

    def done(self) -> bool:
        return self.finished.is_set()

    def result(self) -> list[Extraction]:
        self.finished.wait()
        if self.error is not None:
            raise self.error
        assert self.extractions is not None
        return self.extractions

    def _run(self) -> None:
        try:
            with _WORKER_LOCK:
                worker = _worker()
                assert worker.stdin is not None and worker.stdout is not None
                try:
                    pickle.dump(self.sources, worker.stdin)
                    worker.stdin.flush()
                    while True:
                        kind, payload = pickle.load(worker.stdout)
                        if kind == "chunk":
                            self.chunks = payload
                        elif kind == "done":
                            self.extractions = payload
                            return
                        else:
                            self.error = SpacekgError(str(payload), "Add document")
                            return
                except (EOFError, OSError, pickle.UnpicklingError) as exc:
                    worker.kill()
                    self.error = _stopped(f"{type(exc).__name__}, exit {worker.wait()}")
        except Exception as exc:
            self.error = _stopped(type(exc).__name__)
        finally:
            self.finished.set()


def start_extraction(sources: list[SourceText]) -> ExtractionJob:
    """Send texts to the worker process; returns at once."""
    job = ExtractionJob(list(sources))
    threading.Thread(target=job._run, name="spacekg-preview", daemon=True).start()
    return job


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """In the worker: load the pipeline, then answer each request (a list of SourceText)."""
    from .nlp import build_pipeline, extract

    build_pipeline()
    while True:
        try:
            sources = pickle.load(requests)
        except EOFError:
            return  # the server closed the pipe: it is gone

        def report(done: int, total: int) -> None:
            pickle.dump(("chunk", (done, total)), answers)
            answers.flush()

        try:
            extractions = extract(sources, progress=report)
            for extraction in extractions:
                extraction.doc = None  # a spaCy Doc does not travel; nothing downstream needs it
            answer: tuple[str, Any] = ("done", extractions)
        except SpacekgError as exc:
            answer = ("error", str(exc))
        pickle.dump(answer, answers)
        answers.flush()


if __name__ == "__main__":
    # Answers go to the real stdout only: anything a library prints goes to stderr instead.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, answers)
