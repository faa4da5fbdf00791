"""ingest.minted_names: one individual for a minted name however other documents spell it."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from ingest.config import ID_NS, Settings
from ingest.extraction import Entity, Extraction, Mention
from ingest.iri import source_graph
from ingest.load import load_text
from ingest.minted_candidates import PATTERN_CHARS, candidate_anchors, long_word_pieces, pattern_of
from ingest.minted_names import Known, MintedNames, keys_agree, merge_minted, name_key
from ingest.pipeline import ingest_sources
from ingest.store import OxigraphStore, bind_constant, internal_query
from ingest.vocab import SKG

ORGANISATION = frozenset({SKG.Actor, SKG.Organization})
PERSON = frozenset({SKG.Actor, SKG.Person})


def agree(a: str, b: str, person: bool = False) -> bool:
    return keys_agree(name_key(a, person), name_key(b, person))


def test_spellings_of_one_name_agree() -> None:
    assert agree("NPO Mashinostroeniya", "NPO Mashinostroyeniya")  # a transliteration
    assert agree(
        "Aerospace Force of the Islamic Revolutionary Guard Corps",
        "Islamic Revolutionary Guard Corps Aerospace Force",
    )
    assert agree(
        "Allied Command Transformation’s Space Branch", "Allied Command Transformation Space Branch"
    )
    assert agree("NOUR 02", "Nour 2")
    assert agree("Joseph F. Dunford", "Joseph Dunford", person=True)
    assert agree("DONALD J. TRUMP", "Donald Trump", person=True)


def test_names_that_differ_in_a_short_word_or_a_number_do_not() -> None:
    assert not agree("UK Government", "US Government")
    assert not agree("Noor-2 satellite", "Noor satellite")
    assert not agree("launch 2020", "launch 2023")
    assert not agree("Defence Space Agency", "Defense Space Agency")  # British and American
    assert not agree("Joseph F. Dunford", "Joseph Dunford")  # initials count outside names


def known(label: str, classes: frozenset[URIRef] = ORGANISATION) -> Known:
    return Known(URIRef(ID_NS + "actor/" + label.replace(" ", "-").casefold()), label, classes)


def entity(label: str, classes: frozenset[URIRef] = ORGANISATION) -> Entity:
    return Entity(URIRef(ID_NS + "actor/new-" + label.casefold()), label, tuple(classes), False)


def test_a_name_matches_one_known_individual_of_a_compatible_class() -> None:
    names = MintedNames()
    office = known("U S National Reconnaissance Office")
    names.add(office, [office.label])
    assert names.match(entity("U.S. National Reconnaissance Office")) == office
    assert names.match(entity("U.S. National Reconnaissance Office", PERSON)) is None
    twin = known("National Reconnaissance Office U S")
    names.add(twin, [twin.label])
    assert names.match(entity("U.S. National Reconnaissance Office")) is None  # two agree


def test_one_word_is_compared_only_as_an_acronym() -> None:
    names = MintedNames()
    committee = known("FIRST COMMITTEE")
    names.add(committee, [committee.label, "Committee"])  # a short form in its document
    assert names.match(entity("Committee")) is None
    department = known("Defense Department")
    names.add(department, [department.label, "DOD"])  # an acronym defined in its document
    assert names.match(entity("DOD")) == department


def test_merging_rewrites_mentions_and_keeps_the_spelling() -> None:
    names = MintedNames()
    dunford = known("Joseph Dunford", PERSON)
    names.add(dunford, [dunford.label])
    new = entity("Joseph F. Dunford", PERSON)
    text = "Joseph F. Dunford spoke."
    extraction = Extraction(
        entities={new.iri: new}, mentions=[Mention("Joseph F. Dunford", 0, 17, 0, new.iri, 0.7)]
    )
    (merged,) = merge_minted([extraction], [text], names)
    assert set(merged.entities) == {dunford.iri}
    assert merged.entities[dunford.iri].label == "Joseph Dunford"
    assert merged.entities[dunford.iri].alt_labels == ("Joseph F. Dunford",)
    assert [m.iri for m in merged.mentions] == [dunford.iri]
    assert any("'Joseph F. Dunford' = 'Joseph Dunford'" in n for n in merged.notes)


def test_two_documents_spelling_a_name_differently_share_one_individual(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.ensure_reference()
    settings = Settings.from_env()
    first = load_text(
        "The Islamic Revolutionary Guard Corps Aerospace Force launched the Noor satellite "
        "from Shahroud in April 2020.",
        title="Launch report",
        date="2020-04-23",
    )
    second = load_text(
        "In 2022 the Aerospace Force of the Islamic Revolutionary Guard Corps launched a "
        "second satellite.",
        title="Second launch report",
        date="2022-03-08",
    )
    ingest_sources(store, [first], settings)
    report = ingest_sources(store, [second], settings)
    dataset = store.dataset()
    labelled = {
        s for s, _, o, _ in dataset.quads((None, RDFS.label, None, None)) if "Guard Corps" in o
    }
    actors = {s for s in labelled if "/actor/" in s}
    assert len(actors) == 1, labelled
    (iri,) = actors
    events = {s for s in labelled if "/event/" in s}
    assert all("/islamic-revolutionary-guard-corps-aerospace-force-launch" in e for e in events)
    alt = {o for _, _, o, _ in dataset.quads((iri, SKOS.altLabel, None, None))}
    assert Literal("Aerospace Force of the Islamic Revolutionary Guard Corps") in alt
    assert any("minted names merged" in n for n in report.outcomes[0].notes)
    store.close()


STORED = [
    ("NPO Mashinostroeniya", ORGANISATION),  # a transliteration of the new spelling
    ("Islamic Revolutionary Guard Corps Aerospace Force", ORGANISATION),  # another word order
    ("NOUR 02", frozenset({SKG.SpaceAsset, SKG.Satellite})),  # a leading zero, upper case
    ("Joseph Dunford", PERSON),  # without the initial
    ("Agence spatiale de défense", ORGANISATION),  # an accent the new spelling lacks
    ("Mashinostroyeniya Corporation", ORGANISATION),  # long words only: fuzzy pieces
    ("Space   Development\tAgency", ORGANISATION),  # odd whitespace
    ("Kosmos 2553", frozenset({SKG.SpaceAsset, SKG.Satellite})),  # unrelated to every one below
]
NEW = [
    ("NPO Mashinostroyeniya", ORGANISATION),
    ("Aerospace Force of the Islamic Revolutionary Guard Corps", ORGANISATION),
    ("Nour 2", frozenset({SKG.SpaceAsset, SKG.Satellite})),
    ("Joseph F. Dunford", PERSON),
    ("AGENCE SPATIALE DE DEFENSE", ORGANISATION),
    ("Mashinostroeniya Corporation", ORGANISATION),
    ("space development agency", ORGANISATION),
]


def _stored_names() -> OxigraphStore:
    store = OxigraphStore(None)
    graph = Graph()
    for n, (label, classes) in enumerate(STORED):
        iri = URIRef(ID_NS + f"{'asset' if SKG.SpaceAsset in classes else 'actor'}/stored-{n}")
        graph.add((iri, RDFS.label, Literal(label)))
        for cls in classes:
            graph.add((iri, RDF.type, cls))
    store.replace_graph(source_graph("0123456789abcdef"), graph)
    return store


def test_the_candidate_lookup_finds_every_name_the_full_index_matches() -> None:
    store = _stored_names()
    new = [
        Entity(URIRef(ID_NS + f"actor/new-{n}"), label, tuple(classes), False)
        for n, (label, classes) in enumerate(NEW)
    ]
    full = MintedNames.from_store(store)
    candidates = MintedNames.from_store(store, new)
    for ent, (stored_label, _) in zip(new, STORED, strict=False):
        expected = full.match(ent)
        assert expected is not None and expected.label == stored_label, ent.label
        assert candidates.match(ent) == expected, ent.label
    # Only what could agree was read: the unrelated satellite is no candidate.
    assert {k.label for k in candidates.known.values()} == {label for label, _ in STORED[:-1]}
    store.close()


def test_the_candidate_lookup_reads_nothing_for_a_batch_without_minted_names() -> None:
    store = _stored_names()
    curated = Entity(URIRef(ID_NS + "actor/nato"), "NATO", (SKG.Actor,), True)
    assert MintedNames.from_store(store, [curated]).known == {}
    store.close()


def test_a_fuzzy_variant_keeps_one_piece_of_the_long_word() -> None:
    word = "mashinostroeniya"
    pieces = long_word_pieces(word)
    variants = [word[:i] + "y" + word[i:] for i in range(len(word) + 1)]
    variants += [word[:i] + word[i + 1 :] for i in range(len(word))]
    variants += [word[:i] + "q" + word[i + 1 :] for i in range(len(word))]
    for variant in variants:
        assert keys_agree((word,), (variant,)), variant
        assert any(piece in variant for piece in pieces), variant


def test_a_regex_too_large_to_compile_is_split_and_still_finds_its_last_name() -> None:
    # Oxigraph treats a regex it cannot compile as matching nothing, without an error: a batch
    # with many names must still find the name its last anchor stands for.
    store = _stored_names()
    many = [
        Entity(URIRef(ID_NS + f"actor/filler-{n}"), f"Filler{n:04d} Agency", (SKG.Actor,), False)
        for n in range(1000)
    ]
    last = Entity(
        URIRef(ID_NS + "actor/new-npo"), "NPO Mashinostroyeniya", tuple(ORGANISATION), False
    )
    anchors = candidate_anchors((e.label, False) for e in [*many, last]) or []
    assert len(anchors) == 1001 and anchors[-1].startswith("npo.*")
    huge = Literal(pattern_of(anchors))
    assert len(huge) > 3 * PATTERN_CHARS
    check = bind_constant(internal_query("regex_compiles"), "pattern", huge)
    assert store.query(check).boolean is False  # the limit this guards against is real
    found = MintedNames.from_store(store, [*many, last]).match(last)
    assert found is not None and found.label == "NPO Mashinostroeniya"
    store.close()
