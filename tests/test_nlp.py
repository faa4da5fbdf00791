"""nlp.extract / analyse on the real pipeline: offsets, mentions, entities, a corpus document."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import URIRef

from ingest.config import ID_NS
from ingest.load import SourceText, load_file
from ingest.nlp import analyse, extract

CORPUS = Path(__file__).parents[1] / "corpus"


def source(text: str, date: str | None = None) -> SourceText:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return SourceText("", text, "t", None, date, None, "", "text/markdown", digest)


def test_pipeline_order(spacekg_nlp) -> None:
    names = spacekg_nlp.pipe_names
    assert names.index("ner") < names.index("spacekg_ruler") < names.index("spacekg_linker")


def test_extract_offsets_and_mentions() -> None:
    texts = [
        "NATO met in Brussels.\n\nRussia tested a missile on 15 November 2021. Debris followed.",
        "Viasat said the KA-SAT network was hit by a cyber-attack. Eutelsat's Skylogic helped.",
    ]
    results = extract([source(texts[0], "2021-11-19"), source(texts[1])])
    assert len(results) == 2
    for text, extraction in zip(texts, results, strict=True):
        assert len(extraction.sentences) >= 2
        for sentence in extraction.sentences:
            assert text[sentence.start_char : sentence.end_char] == sentence.text
        assert extraction.mentions
        for mention in extraction.mentions:
            assert text[mention.start_char : mention.end_char] == mention.text
            sentence = extraction.sentences[mention.sentence]
            assert sentence.start_char <= mention.start_char < sentence.end_char
            assert mention.iri in extraction.entities
        assert extraction.doc is not None
    assert results[0].doc._.doc_date == "2021-11-19"
    first = {m.text: m.iri for m in results[0].mentions}
    assert first["NATO"] == URIRef(ID_NS + "actor/nato")
    assert first["Russia"] == URIRef(ID_NS + "actor/russia")
    second = {m.iri for m in results[1].mentions}
    assert {URIRef(ID_NS + f"actor/{n}") for n in ("viasat", "eutelsat", "skylogic")} <= second
    assert URIRef(ID_NS + "asset/ka-sat-network") in second


def test_extract_on_the_nac_statement() -> None:
    doc = load_file(CORPUS / "nac_statement_russia_asat_2021.md")
    (extraction,) = extract([doc])
    found = set(extraction.entities)
    # The body names "NATO Allies" (the Allies as a group), never "NATO" alone.
    for name in ("russia", "north-atlantic-council", "nato-allies"):
        assert URIRef(ID_NS + "actor/" + name) in found
    assert URIRef(ID_NS + "capability/direct-ascent-asat") in found
    assert all(e.curated for e in extraction.entities.values() if "/actor/" in str(e.iri))


def test_analyse_one_text() -> None:
    extraction = analyse("The North Atlantic Treaty Organization condemned Russia.", "2021")
    assert {str(i) for i in extraction.entities} >= {ID_NS + "actor/nato", ID_NS + "actor/russia"}
    assert extraction.doc._.doc_date == "2021"


def test_footnote_mark_is_split_from_a_word_but_model_numbers_stay(spacekg_nlp) -> None:
    words = [t.text for t in spacekg_nlp.make_doc("The Orbital Charter2 and the G7 and F35 jets.")]
    assert "Charter" in words and "2" in words
    assert "G7" in words and "F35" in words


def test_extract_gives_the_relations_the_source_document() -> None:
    text = "We reaffirm that resilience is essential.\n\nThe Orbital Charter3 was adopted."
    digest = hashlib.sha256(text.encode()).hexdigest()
    glossed = SourceText(
        "",
        text,
        "An invented policy",
        "IFRI (Invented Gloss)",
        None,
        None,
        "",
        "text/plain",
        digest,
    )
    (extraction,) = extract([glossed])
    doc = extraction.doc
    assert doc._.doc_iri == ID_NS + "source/" + digest[:16]
    assert doc._.doc_title == "An invented policy"
    assert doc._.doc_classes == ("https://w3id.org/spacekg/ontology#Policy",)
    assert doc._.doc_publisher == ID_NS + "actor/ifri"  # found by the name before the gloss


def test_no_stage_imports_the_orchestrator() -> None:
    """ingest.pipeline calls the stages; a stage importing it back was the old nlp <-> pipeline
    loop. Only its callers, the CLI and the app's library (`explore/`), may import it."""
    import ast

    package = Path(__file__).parents[1] / "ingest"
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path.name in {"pipeline.py", "cli.py"} or path.parent.name == "explore":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [a.name for a in node.names]
                relative = "." * node.level
                if "ingest.pipeline" in names or (relative and (node.module or "") == "pipeline"):
                    offenders.append(str(path.relative_to(package)))
    assert offenders == []
