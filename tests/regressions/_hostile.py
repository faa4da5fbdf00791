"""Shared pieces of the console regression tests: a small store and loopback peers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ingest.store import OxigraphStore

# Before the fix, each of these was run with no guard at all; the asserts bound what they may
# take now, with slack for a loaded CI machine.
SLACK_S = 3.0


def small_store(path: Path, triples: int = 120) -> Path:
    """A closed embedded store with `triples` triples in one source graph."""
    store = OxigraphStore(path)
    graph = Graph()
    for i in range(triples):
        graph.add((URIRef(f"urn:s{i}"), URIRef(f"urn:p{i % 7}"), Literal(f"value {i}")))
    store.replace_graph(URIRef("https://w3id.org/spacekg/graph/source/0123456789abcdef"), graph)
    store.close()
    return path


class Listener:
    """A loopback TCP server that records connections and, by mode, never answers or trickles."""

    def __init__(self, mode: str = "silent") -> None:
        self.mode = mode
        self.connections = 0
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self.port = int(self._sock.getsockname()[1])
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.connections += 1
            self._held.append(conn)
            if self.mode == "trickle":
                threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        """An HTTP answer that sends one byte every 2 s, for at most 60 s."""
        try:
            conn.settimeout(5)
            conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n"
            )
            for _ in range(30):
                if self._stop.is_set():
                    return
                conn.sendall(b" ")
                time.sleep(2)
        except OSError:
            return

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()
        self._sock.close()


@contextmanager
def listening(mode: str = "silent") -> Iterator[Listener]:
    with Listener(mode) as listener:
        yield listener


def spacekg(
    *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> tuple[int, str, str, float]:
    """Run the real CLI (this tree's code) and time it: (exit code, stdout, stderr, seconds)."""
    import os
    import subprocess
    import sys

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "ingest.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started
