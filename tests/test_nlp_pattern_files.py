"""ingest.nlp.pattern_files: the rule components save their pattern files and run on the copy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from ingest.errors import OntologyError
from ingest.nlp.assemble import (
    LINKER,
    PIPELINE_DIR,
    RULER,
    RULES,
    file_digests,
    load,
    pattern_file_names,
    refresh_pattern_files,
    stale_pattern_files,
)
from ingest.nlp.lexicon import RULES_FILES, read_triggers
from ingest.nlp.pattern_files import SOURCE_DIR, PatternFiles
from ingest.vocab import SKG

NEW_PATTERN = {"label": "ASSET", "id": "skg:Satellite", "pattern": [{"LOWER": "zorblax"}]}
SENTENCE = "The zorblax stopped transmitting."


def pipeline_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "pipeline"
    shutil.copytree(PIPELINE_DIR, folder)
    return folder


def minted_classes(nlp: Language, text: str) -> dict[str, tuple[str, ...]]:
    return {e.text: e._.classes for e in nlp(text).ents if e._.iri}


def test_the_shipped_copies_are_the_sources() -> None:
    """An edited pattern file needs `make patterns` before it ships."""
    assert stale_pattern_files() == []


def test_each_rule_component_saves_the_files_it_runs_on(
    spacekg_nlp: Language, tmp_path: Path
) -> None:
    for component, names in pattern_file_names().items():
        pipe = spacekg_nlp.get_pipe(component)
        pipe.to_disk(tmp_path / component)
        saved = sorted(p.name for p in (tmp_path / component).iterdir())
        assert saved == sorted(names), component
        for name, text in pipe.files.texts:
            assert (tmp_path / component / name).read_text(encoding="utf-8") == text
        assert pipe.files == PatternFiles.read(SOURCE_DIR, names)


def test_a_loaded_pipeline_runs_on_its_own_copies(spacekg_nlp: Language, tmp_path: Path) -> None:
    folder = pipeline_copy(tmp_path)
    generic = folder / RULER / "generic.jsonl"
    generic.write_text(
        generic.read_text(encoding="utf-8") + json.dumps(NEW_PATTERN) + "\n", encoding="utf-8"
    )
    edited = load(folder)
    assert str(SKG.Satellite) in minted_classes(edited, SENTENCE).get("zorblax", ())
    assert str(SKG.Satellite) not in minted_classes(spacekg_nlp, SENTENCE).get("zorblax", ())
    assert stale_pattern_files(folder) == [f"{RULER}/generic.jsonl"]


def test_refresh_restores_the_sources_and_the_digests(tmp_path: Path) -> None:
    folder = pipeline_copy(tmp_path)
    (folder / LINKER / "states.txt").write_text("Nowhere\n", encoding="utf-8")
    (folder / RULES / "triggers.yaml").unlink()
    assert refresh_pattern_files(folder) == [f"{LINKER}/states.txt", f"{RULES}/triggers.yaml"]
    assert stale_pattern_files(folder) == []
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["spacekg"]["files"] == file_digests(folder)


def test_a_missing_pattern_file_names_its_path(tmp_path: Path) -> None:
    folder = pipeline_copy(tmp_path)
    (folder / LINKER / "companies.txt").unlink()
    with pytest.raises(OntologyError, match=r"spacekg_linker/companies\.txt.*make patterns"):
        load(folder)


def test_a_malformed_trigger_table_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "triggers.yaml").write_text("properties: []\n", encoding="utf-8")
    with pytest.raises(OntologyError, match=r"triggers\.yaml.*'properties' must be a mapping"):
        read_triggers(PatternFiles.read(tmp_path, RULES_FILES))
