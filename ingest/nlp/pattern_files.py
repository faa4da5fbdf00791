"""The rule components' data files, read from a folder and saved with the pipeline.

The sources are edited in `ingest/nlp/patterns/`. Each rule component (ruler, linker, rules)
holds a `PatternFiles` of the files it reads; `nlp.to_disk` writes them into the component's
folder of the pipeline, and `spacy.load` runs the component on the copies it finds there, so
the shipped folder is the whole artefact. `make patterns` refreshes the copies without
retraining; a test fails while they differ from the sources. What the ontology holds (curated
names, classes, domains and ranges) is not copied: it is read from the ontology, its one place.

A `PatternFiles` is immutable and hashed by content, so the parsed tables are cached per
content, wherever the files were read from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.errors import OntologyError

SOURCE_DIR = Path(__file__).with_name("patterns")


@dataclass(frozen=True)
class PatternFiles:
    """The text of some pattern files, by name, and the folder they were read from."""

    folder: str = field(compare=False)  # equal contents are equal wherever they were read
    texts: tuple[tuple[str, str], ...] = ()

    @classmethod
    def read(cls, folder: Path, names: Iterable[str]) -> PatternFiles:
        texts = []
        for name in sorted(set(names)):
            path = folder / name
            try:
                texts.append((name, path.read_text(encoding="utf-8")))
            except FileNotFoundError as exc:
                raise OntologyError(
                    "pattern file is missing",
                    str(path),
                    "restore it from git (or run `make patterns` for a pipeline folder)",
                ) from exc
        return cls(str(folder), tuple(texts))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.texts)

    def where(self, name: str) -> str:
        """The path of file `name`, for error messages."""
        return str(Path(self.folder) / name)

    def text(self, name: str) -> str:
        for known, text in self.texts:
            if known == name:
                return text
        raise KeyError(f"{name} is not among the pattern files {self.names}")

    def lines(self, name: str) -> list[str]:
        """Non-blank lines that are not `#` comments, stripped."""
        return [
            line.strip()
            for line in self.text(name).splitlines()
            if line.strip() and not line.startswith("#")
        ]

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in self.texts:
            (folder / name).write_text(text, encoding="utf-8")


@lru_cache(maxsize=16)
def source_files(names: tuple[str, ...]) -> PatternFiles:
    """The files `names` as edited in `ingest/nlp/patterns/` (read once per process)."""
    return PatternFiles.read(SOURCE_DIR, names)
