"""ingest/corpus.py: the annotation schema comes from the ontology; the loader refuses what is off."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ingest.corpus import (
    CorpusError,
    load_corpus,
    load_schema,
    parse_record,
    read_records,
)
from ingest.corpus_drafts import resolve_draft, write_records

FIXTURE = Path(__file__).parent / "fixtures" / "corpus" / "toy.jsonl"


@pytest.fixture
def toy() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_schema_is_read_from_the_ontology() -> None:
    schema = load_schema()
    assert {
        "State",
        "Alliance",
        "ASATTest",
        "Satellite",
        "DoctrineConcept",
        "Date",
    } <= schema.labels
    assert "SourceDocument" not in schema.labels and "Evidence" not in schema.labels
    # the annotated direction only: inverses are not properties to annotate
    assert "conducted" in schema.properties and "conductedBy" not in schema.properties
    assert len([p for p in schema.properties if p != "date"]) == 14
    assert schema.domains["conducted"] == {"Actor"} and schema.ranges["conducted"] == {"Event"}
    assert schema.fits("Alliance", schema.domains["memberOf"])  # Alliance ⊑ Organization ⊑ Actor
    assert schema.compatible("Organization", "skgid:actor/nato")
    assert not schema.compatible("Place", "skgid:actor/nato")


def test_the_fixture_loads(toy: dict) -> None:
    record = parse_record(toy)
    assert [record.span_text(i) for i in range(3)] == [
        "North Atlantic Council",
        "Russian Federation",
        "anti-satellite missile test",
    ]
    assert [
        (r.label, record.span_text(r.head), record.span_text(r.child)) for r in record.relations
    ][1] == (
        "conducted",
        "Russian Federation",
        "anti-satellite missile test",
    )
    assert next(iter(read_records(FIXTURE))).id == "toy-001"


def _broken(toy: dict, change) -> str:  # type: ignore[no-untyped-def]
    payload = copy.deepcopy(toy)
    change(payload)
    with pytest.raises(CorpusError) as info:
        parse_record(payload)
    return str(info.value)


def test_refuses_overlapping_spans(toy: dict) -> None:
    def overlap(p: dict) -> None:
        p["spans"].append({"start": 70, "end": 88, "label": "ASATTest"})  # inside span 2

    assert "overlap" in _broken(toy, overlap)


def test_refuses_offsets_off_a_token_boundary(toy: dict) -> None:
    def cut(p: dict) -> None:
        p["spans"][5] = {
            "start": 129,
            "end": 135,
            "label": "Satellite",
        }  # "Kosmos" + " " ... "Kosmo"?

    def inside_word(p: dict) -> None:
        p["spans"][5] = {"start": 130, "end": 140, "label": "Satellite"}

    assert "off a token boundary" in _broken(toy, inside_word)


def test_refuses_unknown_labels_properties_and_iris(toy: dict) -> None:
    assert "unknown label 'Country'" in _broken(
        toy, lambda p: p["spans"][1].update(label="Country")
    )
    assert "unknown property 'attacked'" in _broken(
        toy, lambda p: p["relations"][1].update(label="attacked")
    )
    assert "unknown IRI 'skgid:actor/atlantis'" in _broken(
        toy, lambda p: p["spans"][1].update(iri="skgid:actor/atlantis")
    )
    assert "is a State, not a Satellite" in _broken(
        toy, lambda p: p["spans"][5].update(iri="skgid:actor/russia")
    )


def test_refuses_what_breaks_domain_or_range(toy: dict) -> None:
    # an ASAT test cannot conduct a satellite: Event is outside conducted's domain
    message = _broken(toy, lambda p: p["relations"][3].update(label="conducted"))
    assert "outside the domain of conducted" in message
    assert "outside the range of conducted" in message


def test_refuses_text_that_is_not_at_the_offsets_and_bad_dates(toy: dict) -> None:
    assert "is not the text at its offsets" in _broken(
        toy, lambda p: p["spans"][0].update(text="North Atlantic Treaty")
    )
    assert "needs a value" in _broken(toy, lambda p: p["spans"][3].update(value="15/11/2021"))
    assert "does not hold both spans" in _broken(
        toy, lambda p: p["relations"][3].update(sentence=[0, 109])
    )
    assert "meta.licence is missing" in _broken(toy, lambda p: p["meta"].pop("licence"))


def test_every_problem_is_listed_at_once(toy: dict) -> None:
    def many(p: dict) -> None:
        p["spans"][1]["label"] = "Country"
        p["relations"][0]["label"] = "attacked"

    message = _broken(toy, many)
    assert "unknown label" in message and "unknown property" in message


def test_a_draft_resolves_to_the_fixture(toy: dict, tmp_path: Path) -> None:
    draft = copy.deepcopy(toy)
    for span in draft["spans"]:
        del span["start"], span["end"]
    draft["spans"][4]["occurrence"] = 2  # the first "test" is inside "missile test"
    for relation in draft["relations"]:
        del relation["sentence"]
    record = resolve_draft(draft)
    assert record.to_json() == parse_record(toy).to_json()
    write_records([record], tmp_path)
    assert [r.id for r in load_corpus(tmp_path)] == ["toy-001"]


def test_a_draft_with_a_missing_mention_is_refused(toy: dict) -> None:
    draft = copy.deepcopy(toy)
    draft["spans"] = [{"text": "Kosmos 2576", "label": "Satellite"}]
    draft["relations"] = []
    with pytest.raises(CorpusError, match="not found at token boundaries"):
        resolve_draft(draft)


def test_duplicate_ids_and_bad_json_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CorpusError, match="id toy-001 appears twice"):
        load_corpus(tmp_path)
    bad = tmp_path / "c.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.jsonl:1: not JSON"):
        list(read_records(bad))


def test_a_draft_is_resolved_on_the_ingested_form_of_its_text(toy: dict) -> None:
    """Regression: offsets were computed on the normalised text but checked on the raw one."""
    draft = copy.deepcopy(toy)
    draft["text"] = draft["text"].replace("2021. The", "2021.   \nThe") + "\n\n"
    for span in draft["spans"]:
        del span["start"], span["end"]
    draft["spans"][4]["occurrence"] = 2
    for relation in draft["relations"]:
        del relation["sentence"]
    record = resolve_draft(draft)
    assert "   \n" not in record.text and not record.text.endswith("\n")
    assert [record.span_text(i) for i in range(len(record.spans))][-1] == "Kosmos 1408"
