"""What every `spacekg` verb shares: the consoles and the store the global options chose.

A module of its own so the verbs kept beside `cli` (`cli_review`) see the same state also
when the CLI runs as `python -m ingest.cli` (then `cli` itself is `__main__`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console

from .config import Settings
from .store import Store, open_reader, open_store

# Piped output (grep, files) gets wide tables instead of rich's 80-column default.
# Plain text: labels, titles and messages come from documents, so no emoji codes (":secret:"
# stays as written) and no console markup ("[bold]" in a title is text); styling is explicit.
out = Console(
    highlight=False, emoji=False, markup=False, width=None if sys.stdout.isatty() else 200
)
err = Console(stderr=True, highlight=False, emoji=False, markup=False, soft_wrap=True)


class _State:
    store_dir: Path | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    _store: Store | None = None

    def settings(self) -> Settings:
        return Settings.from_env()

    def store(self) -> Store:
        """The store for a verb that writes (takes the embedded store's writer lock)."""
        if self._store is None:
            self._store = open_store(
                self.store_dir, endpoint=self.endpoint, update_endpoint=self.update_endpoint
            )
        return self._store

    def reader(self) -> Store:
        """The store for a verb that only reads: read-only beside a writer, curated data loaded."""
        if self._store is None:
            self._store = open_reader(self.store_dir, endpoint=self.endpoint)
        return self._store


state = _State()
