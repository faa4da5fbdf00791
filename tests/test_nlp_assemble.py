"""ingest.nlp.assemble: the shipped pipeline is the versioned artefact `make train` wrote."""

from __future__ import annotations

import json

from spacy.language import Language

from ingest.nlp.assemble import (
    CLASSIFIER,
    CONFIDENCE,
    CONFIG_FILE,
    LINKER,
    NER,
    PIPELINE_DIR,
    RULER,
    RULES,
    file_digests,
    sha256,
    training_data_sha256,
)


def shipped_meta() -> dict:
    return json.loads((PIPELINE_DIR / "meta.json").read_text(encoding="utf-8"))["spacekg"]


def test_every_shipped_file_is_the_one_recorded() -> None:
    recorded = shipped_meta()["files"]
    assert recorded == file_digests(PIPELINE_DIR)
    assert any(path.startswith(f"{CLASSIFIER}/") for path in recorded)


def test_the_weights_were_trained_on_todays_corpus_and_config() -> None:
    """A changed annotation, split or config needs `make train` before it ships."""
    meta = shipped_meta()
    assert meta["training_data_sha256"] == training_data_sha256()
    assert meta["config_sha256"] == sha256(CONFIG_FILE)


def test_order_of_the_shipped_pipeline(spacekg_nlp: Language) -> None:
    names = spacekg_nlp.pipe_names
    order = ["ner", RULER, NER, LINKER, RULES, CLASSIFIER, CONFIDENCE]
    assert [names.index(n) for n in order] == sorted(names.index(n) for n in order)
    assert names[-1] == CONFIDENCE


def test_the_trained_components_own_their_tok2vec(spacekg_nlp: Language) -> None:
    """No listener: the English model's tagger and parser keep the tok2vec they were built on."""
    for name in (NER, CLASSIFIER):
        config = spacekg_nlp.config["components"][name]["model"]["tok2vec"]
        assert "Listener" not in config["@architectures"], name


def test_the_review_threshold_is_recorded_with_its_dev_figures() -> None:
    review = shipped_meta()["review_threshold"]
    assert 0.0 < review["value"] < 1.0 and "dev" in review["chosen_by"]
    from ingest.config import review_threshold

    assert review_threshold() == review["value"]


def test_a_missing_pipeline_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from ingest.errors import PipelineError
    from ingest.nlp.assemble import load

    with pytest.raises(PipelineError) as caught:
        load(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(caught.value) and "make train" in str(caught.value)
