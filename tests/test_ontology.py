"""The ontology, the curated reference data and the generated vocabulary against the contract.

The contract is docs/architecture.md; the expected terms, domains and ranges below are copied
from it, so a drift between the document, the Turtle and the code fails here.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, Namespace
from rdflib.term import Node

from ingest.config import ID_NS, ONTOLOGY_NS, REFERENCE_FILE
from ingest.errors import OntologyError
from ingest.iri import mint
from ingest.ontology import (
    file_digest,
    labels_index,
    load_turtle,
    ontology_and_reference,
    ontology_graph,
    reference_graph,
    shapes_graph,
)
from ingest.vocab_gen import render

ROOT = Path(__file__).parent.parent
VOCAB_FILE = ROOT / "ingest" / "vocab.py"
SKG = Namespace(ONTOLOGY_NS)
ORG = Namespace("http://www.w3.org/ns/org#")
# A plain Namespace: rdflib's closed XSD warns when pytest probes it for fixture markers.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ONTOLOGY_IRI = URIRef("https://w3id.org/spacekg/ontology")
# schema.org as a plain Namespace: pytest probing rdflib's DefinedNamespace SDO warns.
SDO = Namespace("https://schema.org/")
NATO = mint("actor", "NATO")

CONTRACT_CLASSES = {
    "Actor", "State", "Organization", "Alliance", "MilitaryCommand", "GovernmentAgency",
    "IntergovernmentalOrganization", "Company", "ResearchInstitute", "Person", "ActorGroup",
    "SpaceAsset", "Satellite", "Constellation", "GroundSegment", "SpaceStation",
    "SatelliteNetwork", "SpaceService",
    "Capability", "CounterspaceCapability", "Hazard",
    "Event", "ASATTest", "Attack", "CyberAttack", "MilitaryOperation", "Meeting", "Summit",
    "MinisterialMeeting", "Launch", "Decision",
    "Document", "Declaration", "Communique", "Policy", "Strategy", "Treaty", "Resolution",
    "Analysis", "Report", "NewsArticle", "Statement", "Speech", "SourceDocument",
    "DoctrineConcept", "Place", "Evidence", "Membership", "ReviewDecision",
}  # fmt: skip

# property -> (domain classes, range classes); None: unrestricted.
CONTRACT_OBJECT_PROPERTIES: dict[str, tuple[set[str], set[str] | None]] = {
    "memberOf": ({"Actor"}, {"Organization", "ActorGroup"}),
    "partOf": ({"Actor", "SpaceAsset", "Place"}, {"Actor", "SpaceAsset", "Place"}),
    "locatedIn": ({"Actor", "SpaceAsset", "Place", "Event"}, {"Place", "State"}),
    "hasCapability": ({"Actor"}, {"Capability"}),
    "conducted": ({"Actor"}, {"Event"}),
    "threatens": ({"Capability", "Event", "Actor"}, {"SpaceAsset", "Actor", "Place"}),
    "targeted": ({"Event"}, {"SpaceAsset", "Actor", "Place"}),
    "attributedTo": ({"Event"}, {"Actor"}),
    "published": ({"Actor"}, {"Document"}),
    "declares": ({"Document", "Actor", "Event"}, {"DoctrineConcept"}),
    "establishes": ({"Document", "Actor", "Event"}, {"Actor", "DoctrineConcept", "Event"}),
    "condemns": ({"Actor", "Document"}, {"Event", "Actor"}),
    "operates": ({"Actor"}, {"SpaceAsset"}),
    "mentions": ({"Document"}, None),
    "reviewedEvidence": ({"ReviewDecision"}, {"Evidence"}),
}
CONTRACT_INVERSES = {
    "hasMember": "memberOf",
    "hasPart": "partOf",
    "capabilityOf": "hasCapability",
    "conductedBy": "conducted",
    "threatenedBy": "threatens",
    "targetOf": "targeted",
    "publishedBy": "published",
    "operatedBy": "operates",
}
CONTRACT_DATATYPE_PROPERTIES = {
    "date", "startDate", "url", "sha256", "sourcePath", "wordCount", "textLength",
    "sentence", "startChar", "endChar", "confidence", "extractor", "extractorVersion", "status",
    "verdict", "reviewer", "text",
}  # fmt: skip
CONTRACT_ANNOTATION_PROPERTIES = {"factSubject", "factPredicate", "factObject"}

CAPABILITIES = {
    "direct-ascent-asat", "co-orbital-asat", "directed-energy", "electronic-warfare", "jamming",
    "spoofing", "cyber", "nuclear-detonation", "asat", "counterspace", "space-debris",
    "space-weather",
}  # fmt: skip
DOCTRINE = {
    "operational-domain", "collective-defence", "deterrence", "resilience",
    "space-domain-awareness", "responsible-behaviour", "interoperability",
    "contested-congested-competitive", "commercial-space-cooperation",
}  # fmt: skip

# Accession dates from https://www.nato.int/cps/en/natohq/topics_52044.htm
NATO_ACCESSIONS = {
    **dict.fromkeys(
        ["Belgium", "Canada", "Denmark", "France", "Iceland", "Italy", "Luxembourg",
         "Netherlands", "Norway", "Portugal", "United Kingdom", "United States"],
        "1949-04-04",
    ),
    "Greece": "1952-02-18", "Türkiye": "1952-02-18", "Germany": "1955-05-09",
    "Spain": "1982-05-30", "Czechia": "1999-03-12", "Hungary": "1999-03-12",
    "Poland": "1999-03-12",
    **dict.fromkeys(
        ["Bulgaria", "Estonia", "Latvia", "Lithuania", "Romania", "Slovakia", "Slovenia"],
        "2004-03-29",
    ),
    "Albania": "2009-04-01", "Croatia": "2009-04-01", "Montenegro": "2017-06-05",
    "North Macedonia": "2020-03-27", "Finland": "2023-04-04", "Sweden": "2024-03-07",
}  # fmt: skip

# Names deliberately shared by two individuals (none today); each would need a reason here.
ALLOWED_NAME_COLLISIONS: dict[str, set[URIRef]] = {}

# Predicates that may appear in reference.ttl besides the skg: terms.
REFERENCE_PREDICATES = {
    RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, SKOS.altLabel, DCTERMS.source,
    DCTERMS.title, DCTERMS.description, DCTERMS.creator, DCTERMS.license, DCTERMS.created,
    ORG.member, ORG.organization,
}  # fmt: skip


def skg_terms(graph: Graph, owl_type: URIRef) -> set[str]:
    return {
        str(s)[len(ONTOLOGY_NS) :]
        for s in graph.subjects(RDF.type, owl_type)
        if str(s).startswith(ONTOLOGY_NS)
    }


def class_set(graph: Graph, node: Node | None) -> set[str] | None:
    """Local names of a class or of the members of an owl:unionOf class expression."""
    if node is None:
        return None
    union = graph.value(node, OWL.unionOf)
    members = list(graph.items(union)) if union is not None else [node]
    return {str(m)[len(ONTOLOGY_NS) :] for m in members}


def classes_of(graph: Graph, node: Node) -> set[str]:
    """Local names of every skg class of `node`, following rdfs:subClassOf*."""
    found: set[str] = set()
    for cls in graph.objects(node, RDF.type):
        for ancestor in graph.transitive_objects(cls, RDFS.subClassOf):
            if str(ancestor).startswith(ONTOLOGY_NS):
                found.add(str(ancestor)[len(ONTOLOGY_NS) :])
    return found


def individuals(graph: Graph) -> set[URIRef]:
    return {
        s
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(ID_NS)
    }


def normalise(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).replace("’", "'").casefold().split())


# --- the ontology ---------------------------------------------------------------------------


def test_ontology_header_has_version_and_metadata() -> None:
    graph = ontology_graph()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        "https://w3id.org/spacekg/ontology/0.2.0"
    )
    assert graph.value(ONTOLOGY_IRI, OWL.priorVersion) == URIRef(
        "https://w3id.org/spacekg/ontology/0.1.0"
    )
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.created):
        assert graph.value(ONTOLOGY_IRI, predicate) is not None, predicate


@pytest.mark.parametrize("which", ["ontology", "shapes"])
def test_headers_carry_version_licence_creators_and_import_nothing_remote(which: str) -> None:
    graph = ontology_graph() if which == "ontology" else shapes_graph()
    headers = list(graph.subjects(RDF.type, OWL.Ontology))
    assert len(headers) == 1, headers
    header = headers[0]
    version = graph.value(header, OWL.versionInfo)
    assert version is not None and str(version).count(".") == 2, version
    assert graph.value(header, OWL.versionIRI) == URIRef(f"{header}/{version}")
    licence = graph.value(header, DCTERMS.license)
    assert isinstance(licence, URIRef) and str(licence).startswith("https://"), licence
    creators = list(graph.objects(header, DCTERMS.creator))
    assert creators, "the header names its creators"
    for creator in creators:
        # A creator is an agent with a name and a web address, not a bare string.
        assert isinstance(creator, URIRef), f"{creator!r} is a string, not an agent"
        assert str(graph.value(creator, SDO.name) or "").strip(), f"{creator} has no sdo:name"
        url = graph.value(creator, SDO.url)
        assert isinstance(url, URIRef) and str(url).startswith("https://"), url
    remote = [o for o in graph.objects(None, OWL.imports) if str(o).startswith(("http:", "https:"))]
    assert not remote, f"no remote owl:imports (nothing is fetched at run time): {remote}"


def test_terms_are_exactly_the_contract() -> None:
    graph = ontology_graph()
    assert skg_terms(graph, OWL.Class) == CONTRACT_CLASSES
    assert skg_terms(graph, OWL.ObjectProperty) == set(CONTRACT_OBJECT_PROPERTIES) | set(
        CONTRACT_INVERSES
    )
    assert skg_terms(graph, OWL.DatatypeProperty) == CONTRACT_DATATYPE_PROPERTIES
    assert skg_terms(graph, OWL.AnnotationProperty) == CONTRACT_ANNOTATION_PROPERTIES


def test_every_term_has_one_english_label_a_definition_and_is_defined_by() -> None:
    graph = ontology_graph()
    terms = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(SKG)}
    assert len(terms) == len(CONTRACT_CLASSES) + 15 + 8 + 17 + 3
    problems = []
    for term in sorted(terms):
        labels = list(graph.objects(term, RDFS.label))
        definitions = [d for d in graph.objects(term, SKOS.definition) if d.language == "en"]
        if len(labels) != 1 or labels[0].language != "en":
            problems.append(f"{term}: labels {labels}")
        if len(definitions) != 1:
            problems.append(f"{term}: {len(definitions)} English definitions")
        if graph.value(term, RDFS.isDefinedBy) != ONTOLOGY_IRI:
            problems.append(f"{term}: rdfs:isDefinedBy missing")
    assert not problems, problems


def test_domains_and_ranges_follow_the_contract() -> None:
    graph = ontology_graph()
    for name, (domain, range_) in CONTRACT_OBJECT_PROPERTIES.items():
        assert class_set(graph, graph.value(SKG[name], RDFS.domain)) == domain, name
        assert class_set(graph, graph.value(SKG[name], RDFS.range)) == range_, name
    for inverse, name in CONTRACT_INVERSES.items():
        assert graph.value(SKG[inverse], OWL.inverseOf) == SKG[name], inverse
        domain, range_ = CONTRACT_OBJECT_PROPERTIES[name]
        assert class_set(graph, graph.value(SKG[inverse], RDFS.domain)) == range_, inverse
        assert class_set(graph, graph.value(SKG[inverse], RDFS.range)) == domain, inverse


def test_property_characteristics_and_alignments() -> None:
    graph = ontology_graph()
    for name in ("partOf", "locatedIn"):
        assert (SKG[name], RDF.type, OWL.TransitiveProperty) in graph, name
    assert (SKG.targeted, RDFS.subPropertyOf, SKG.threatens) in graph
    prov = Namespace("http://www.w3.org/ns/prov#")
    assert (SKG.attributedTo, RDFS.subPropertyOf, prov.wasAssociatedWith) in graph
    assert (SKG.publishedBy, RDFS.subPropertyOf, DCTERMS.publisher) in graph
    assert (SKG.date, RDFS.subPropertyOf, DCTERMS.date) in graph
    expected_parents = {
        "Actor": prov.Agent,
        "Organization": ORG.Organization,
        "Person": prov.Person,
        "Capability": SKOS.Concept,
        "Event": prov.Activity,
        "Document": prov.Entity,
        "DoctrineConcept": SKOS.Concept,
        "Place": prov.Location,
        "Evidence": prov.Entity,
        "Membership": ORG.Membership,
        "ReviewDecision": prov.Activity,
    }
    for name, parent in expected_parents.items():
        assert (SKG[name], RDFS.subClassOf, parent) in graph, name
        assert (parent, RDF.type, OWL.Class) in graph, f"{parent} must be declared"


def test_no_iri_is_both_a_class_and_an_individual() -> None:
    graph = ontology_and_reference()
    classes = set(graph.subjects(RDF.type, OWL.Class))
    typed_individuals = {s for s, o in graph.subject_objects(RDF.type) if o in classes}
    assert not classes & typed_individuals, "punning breaks OWL 2 DL for the reasoner"


def test_concept_schemes_hold_the_contract_concepts() -> None:
    graph = ontology_graph()
    counterspace = mint("scheme", "counterspace")
    doctrine = mint("scheme", "doctrine")
    in_counterspace = set(graph.subjects(SKOS.inScheme, counterspace))
    in_doctrine = set(graph.subjects(SKOS.inScheme, doctrine))
    assert in_counterspace == {mint("capability", slug) for slug in CAPABILITIES}
    assert in_doctrine == {mint("concept", slug) for slug in DOCTRINE}
    for concept in in_counterspace:
        assert classes_of(graph, concept) & {"CounterspaceCapability", "Hazard"}, concept
        for broader in graph.objects(concept, SKOS.broader):
            assert broader in in_counterspace, (concept, broader)
    for concept in in_doctrine:
        assert "DoctrineConcept" in classes_of(graph, concept), concept
    for slug in ("jamming", "spoofing"):
        assert graph.value(mint("capability", slug), SKOS.broader) == mint(
            "capability", "electronic-warfare"
        )
    hazards = {s for s in in_counterspace if (s, RDF.type, SKG.Hazard) in graph}
    assert hazards == {mint("capability", "space-debris"), mint("capability", "space-weather")}
    assert "swfound.org" in str(graph.value(SKG.CounterspaceCapability, DCTERMS.source))


def test_concepts_carry_the_names_found_in_texts() -> None:
    names = {e.iri: {normalise(n) for n in e.names} for e in labels_index()}
    assert "da-asat" in names[mint("capability", "direct-ascent-asat")]
    assert "ground-based antisatellite missiles" in names[mint("capability", "direct-ascent-asat")]
    assert "article 5" in names[mint("concept", "collective-defence")]
    assert "collective defense" in names[mint("concept", "collective-defence")]
    assert "space situational awareness" in names[mint("concept", "space-domain-awareness")]
    assert "orbital debris" in names[mint("capability", "space-debris")]


# --- the reference data ---------------------------------------------------------------------


def test_nato_has_exactly_32_members_with_their_accession_dates() -> None:
    graph = ontology_and_reference()
    rows = graph.query(
        """
        PREFIX skg: <https://w3id.org/spacekg/ontology#>
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?member ?accession WHERE {
          ?membership a skg:Membership ;
                      org:organization ?organization ;
                      org:member ?member ;
                      skg:startDate ?accession .
          ?member a skg:State ;
                  skg:memberOf ?organization .
        }
        ORDER BY ?member
        """,
        initBindings={"organization": NATO},
    )
    found = {row.member: row.accession for row in rows}  # type: ignore[union-attr]
    expected = {
        mint("actor", name): Literal(date, datatype=XSD.date)
        for name, date in NATO_ACCESSIONS.items()
    }
    assert len(expected) == 32
    assert found == expected
    plain_members = {
        s for s in graph.subjects(SKG.memberOf, NATO) if (s, RDF.type, SKG.State) in graph
    }
    assert plain_members == set(expected)


def test_memberships_are_named_member_then_organisation() -> None:
    graph = reference_graph()
    memberships = set(graph.subjects(RDF.type, SKG.Membership))
    assert len(memberships) == 32
    for membership in memberships:
        member = graph.value(membership, ORG.member)
        organization = graph.value(membership, ORG.organization)
        slug = f"{str(member).rsplit('/', 1)[1]}-{str(organization).rsplit('/', 1)[1]}"
        assert membership == mint("membership", slug)
        assert (member, SKG.memberOf, organization) in graph


def test_every_reference_individual_cites_a_web_source() -> None:
    graph = reference_graph()
    problems = []
    for individual in sorted(individuals(graph)):
        sources = list(graph.objects(individual, DCTERMS.source))
        if not sources:
            problems.append(f"{individual}: no dct:source")
        for source in sources:
            if not (
                isinstance(source, Literal)
                and source.datatype == XSD.anyURI
                and str(source).startswith(("https://", "http://"))
            ):
                problems.append(f"{individual}: bad dct:source {source!r}")
    assert not problems, problems
    assert len(individuals(graph)) > 100


def test_every_individual_has_one_english_label_and_the_iri_its_label_mints() -> None:
    graph = ontology_and_reference()
    problems = []
    for individual in sorted(individuals(graph)):
        labels = list(graph.objects(individual, RDFS.label))
        if len(labels) != 1 or labels[0].language != "en":
            problems.append(f"{individual}: labels {labels}")
            continue
        kind = str(individual)[len(ID_NS) :].split("/", 1)[0]
        if kind in ("membership", "scheme"):
            continue
        if individual != mint(kind, str(labels[0])):
            problems.append(f"{individual}: label {labels[0]!s} mints {mint(kind, labels[0])}")
    assert not problems, problems


def test_reference_uses_only_declared_predicates() -> None:
    ontology = ontology_graph()
    declared = {
        s
        for owl_type in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in ontology.subjects(RDF.type, owl_type)
    }
    used = set(reference_graph().predicates())
    assert used - declared - REFERENCE_PREDICATES == set()


def test_object_property_uses_respect_the_contract_domains_and_ranges() -> None:
    graph = ontology_and_reference()
    expected = dict(CONTRACT_OBJECT_PROPERTIES)
    for inverse, name in CONTRACT_INVERSES.items():
        domain, range_ = CONTRACT_OBJECT_PROPERTIES[name]
        expected[inverse] = (range_ or set(), domain)
    problems = []
    checked = 0
    for subject, predicate, obj in reference_graph():
        name = str(predicate)[len(ONTOLOGY_NS) :] if str(predicate).startswith(SKG) else None
        if name not in expected:
            continue
        checked += 1
        domain, range_ = expected[name]
        if not classes_of(graph, subject) & domain:
            problems.append(f"{subject} {name}: subject is {classes_of(graph, subject)}")
        if range_ is not None and not classes_of(graph, obj) & range_:
            problems.append(f"{name} {obj}: object is {classes_of(graph, obj) or 'untyped'}")
    assert not problems, problems
    assert checked > 80


def test_dates_use_the_contract_datatypes() -> None:
    graph = reference_graph()
    allowed = {XSD.date, XSD.gYearMonth, XSD.gYear}
    dates = list(graph.objects(None, SKG.date))
    assert dates
    assert {d.datatype for d in dates} <= allowed
    assert {d.datatype for d in graph.objects(None, SKG.startDate)} == {XSD.date}


def test_key_curated_facts() -> None:
    graph = reference_graph()
    test = mint("event", "Russian DA-ASAT test 2021-11-15")
    assert (mint("actor", "Russia"), SKG.conducted, test) in graph
    assert (test, SKG.targeted, mint("asset", "Kosmos 1408")) in graph
    assert graph.value(test, SKG.date) == Literal("2021-11-15", datatype=XSD.date)
    attack = mint("event", "KA-SAT cyber-attack")
    assert (attack, SKG.attributedTo, mint("actor", "Russia")) in graph
    assert (attack, SKG.targeted, mint("asset", "KA-SAT network")) in graph
    communique = mint("document", "Brussels Summit Communiqué")
    assert (communique, SKG.declares, mint("concept", "collective-defence")) in graph
    assert (NATO, SKG.published, communique) in graph
    chain = set(graph.transitive_objects(mint("actor", "NATO Space Centre"), SKG.partOf))
    assert {mint("actor", "Allied Air Command"), NATO} <= chain
    assert (mint("actor", "nato-allies"), SKG.memberOf, NATO) in graph
    assert (mint("actor", "Skylogic"), SKG.partOf, mint("actor", "Eutelsat")) in graph


def test_no_name_is_shared_by_two_individuals() -> None:
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for entry in labels_index():
        for name in entry.names:
            owners[normalise(name)].add(entry.iri)
    collisions = {name: iris for name, iris in owners.items() if len(iris) > 1}
    assert collisions == ALLOWED_NAME_COLLISIONS


# --- loaders --------------------------------------------------------------------------------


def test_labels_index_gives_names_and_classes_for_linking() -> None:
    entries = {entry.iri: entry for entry in labels_index()}
    russia = entries[mint("actor", "Russia")]
    assert russia.label == "Russia"
    assert {"Russian Federation", "Moscow"} <= set(russia.alt_labels)
    assert SKG.State in russia.types
    assert {SKG.State, SKG.Actor} <= set(russia.classes)
    assert russia.kind == "actor"
    kosmos = entries[mint("asset", "Kosmos 1408")]
    assert "Cosmos 1408" in kosmos.names and SKG.SpaceAsset in kosmos.classes
    jamming = entries[mint("capability", "jamming")]
    assert SKG.Capability in jamming.classes
    assert not any(entry.kind in ("membership", "scheme") for entry in entries.values())
    assert list(entries) == sorted(entries)


def test_loaders_parse_each_file_once() -> None:
    assert ontology_graph() is ontology_graph()
    assert reference_graph() is reference_graph()
    assert labels_index() is labels_index()
    merged = ontology_and_reference()
    assert len(merged) == len(ontology_graph() + reference_graph())


def test_file_digest_changes_with_the_file(tmp_path: Path) -> None:
    assert file_digest(REFERENCE_FILE) == hashlib.sha256(REFERENCE_FILE.read_bytes()).hexdigest()
    path = tmp_path / "x.ttl"
    path.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    before = file_digest(path)
    path.write_text("<urn:a> <urn:b> <urn:d> .\n", encoding="utf-8")
    assert file_digest(path) != before
    with pytest.raises(OntologyError, match="not found"):
        file_digest(tmp_path / "missing.ttl")


def test_broken_turtle_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix skg: <https://w3id.org/spacekg/ontology#> .\nskg:a skg:b .\n")
    with pytest.raises(OntologyError) as error:
        load_turtle(path)
    message = str(error.value)
    assert str(path) in message and "cannot parse Turtle" in message
    assert "\n" not in message
    with pytest.raises(OntologyError, match="missing"):
        load_turtle(tmp_path / "absent.ttl")


# --- generated vocabulary ------------------------------------------------------------------


def test_vocab_module_is_in_sync_with_the_ontology() -> None:
    assert VOCAB_FILE.read_text(encoding="utf-8") == render(ontology_graph()), (
        "ingest/vocab.py is stale: run `make vocab`"
    )


def test_vocab_names_every_term_and_refuses_unknown_ones() -> None:
    from ingest.vocab import SKG as VOCAB

    graph = ontology_graph()
    terms = set().union(
        *(
            skg_terms(graph, t)
            for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        )
    )
    assert set(VOCAB.__annotations__) == terms
    assert VOCAB.memberOf == SKG.memberOf
    with pytest.raises(AttributeError):
        _ = VOCAB.memberof
