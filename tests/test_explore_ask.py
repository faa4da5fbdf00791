"""ingest.explore.ask: widgets for a library query's parameters, and running it.

Choices are read from the query fixture dataset (`fixtures/queries/dataset.trig`) in a real
embedded store.
"""

from __future__ import annotations

import pytest

from ingest.explore.ask import param_choices, run_library_query
from ingest.store import OxigraphStore

ID = "https://w3id.org/spacekg/id/"


def test_an_entity_parameter_offers_the_graphs_individuals(dataset_store: OxigraphStore) -> None:
    (actor,) = param_choices(dataset_store, "actor_profile")
    assert actor.widget == "select" and actor.required
    names = dict(actor.options)
    assert names[ID + "actor/russia"] == "Russia (actor)"
    assert names[ID + "asset/kosmos-1408"] == "Kosmos 1408 (space asset)"


def test_the_capability_matrix_offers_actors_only(dataset_store: OxigraphStore) -> None:
    (actor,) = param_choices(dataset_store, "capability_matrix")
    assert not actor.required
    assert all(label.endswith("(actor)") for _, label in actor.options)
    assert ID + "actor/china" in dict(actor.options)


def test_blank_optional_values_mean_any(dataset_store: OxigraphStore) -> None:
    every = run_library_query(dataset_store, "capability_matrix", {"actor": ""})
    china = run_library_query(dataset_store, "capability_matrix", {"actor": ID + "actor/china"})
    assert len(china.rows) < len(every.rows)
    assert {str(r["actor"]) for r in every.rows} == {ID + "actor/china", ID + "actor/russia"}


# --- the SPARQL console: prefixes, shared links, result views ----------------------------------

STATES = "SELECT ?x WHERE { ?x a skg:State } ORDER BY ?x"


def test_a_prefixed_query_runs_without_declaring_prefixes(dataset_store: OxigraphStore) -> None:
    from ingest.console import QueryLimits
    from ingest.errors import QueryError
    from ingest.explore.ask import with_prefixes

    limits = QueryLimits(20, 100)
    with pytest.raises(QueryError):  # the console's guard alone does not know skg:
        dataset_store.user_query(STATES, limits)
    result = dataset_store.user_query(with_prefixes(STATES), limits)
    assert ID + "actor/russia" in {str(r["x"]) for r in result.rows}


def test_prefixes_come_from_the_query_library_and_keep_line_numbers() -> None:
    from ingest.explore.ask import prefix_lines, with_prefixes
    from ingest.queries import PREFIXES

    lines = prefix_lines().splitlines()
    assert len(lines) == len(PREFIXES)
    for name in ("skg", "skgid", "rdfs", "skos", "dct", "prov", "xsd", "org", "owl", "rdf"):
        assert f"PREFIX {name}: <{PREFIXES[name]}>" in lines
    text = "SELECT ?x\nWHERE { ?x a skg:State }"
    full = with_prefixes(text)
    assert full.count("\n") == text.count("\n")  # an error on line 2 is still on line 2
    assert full.endswith(text)
    # a prefix the user declares is left as they wrote it
    own = "PREFIX skg: <http://example.org/>\n" + text
    assert with_prefixes(own).count("PREFIX skg:") == 1


def test_a_shared_link_round_trips_the_query() -> None:
    from urllib.parse import parse_qs, urlsplit

    from ingest.errors import InputError
    from ingest.explore.ask import MAX_SHARED_CHARS, share_link, shared_query

    text = 'SELECT ?x WHERE { ?x rdfs:label "A & B #1"@en } # 100%'
    link = share_link(text, "http://localhost:8501/")
    assert link.startswith("http://localhost:8501/ask?q=")
    params = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert shared_query(params) == text
    assert shared_query({}) is None and shared_query({"q": "  "}) is None
    with pytest.raises(InputError, match="too long"):
        share_link("#" * (MAX_SHARED_CHARS + 1))
    with pytest.raises(InputError, match="too long"):
        shared_query({"q": "#" * (MAX_SHARED_CHARS + 1)})


def _console(store: OxigraphStore, text: str):  # type: ignore[no-untyped-def]
    from ingest.console import QueryLimits
    from ingest.explore.ask import with_prefixes

    return store.user_query(with_prefixes(text), QueryLimits(20, 500))


def test_views_follow_the_columns(dataset_store: OxigraphStore) -> None:
    from ingest.explore.ask import result_views

    edges = _console(
        dataset_store,
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && ?p != rdf:type) } ORDER BY ?s LIMIT 20",
    )
    assert result_views(edges).views == ("table", "graph")
    dated = _console(
        dataset_store,
        "SELECT ?event ?date WHERE { ?event skg:date ?date } ORDER BY ?date",
    )
    assert dated.rows, "the fixture events have dates"
    assert result_views(dated).views == ("table", "timeline")
    counted = _console(
        dataset_store,
        "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY ?class",
    )
    shape = result_views(counted)
    assert shape.views == ("table", "chart") and shape.number_columns == ("n",)
    labels = _console(dataset_store, "SELECT ?l WHERE { ?x rdfs:label ?l } ORDER BY ?l LIMIT 5")
    assert result_views(labels).views == ("table",)


def test_labels_replace_iris_and_the_rows_keep_both(dataset_store: OxigraphStore) -> None:
    from ingest.explore.ask import graph_of, labelled_rows

    result = _console(
        dataset_store,
        "SELECT ?actor ?target WHERE { ?actor skg:conducted ?event . ?event skg:targeted ?target }"
        " ORDER BY ?actor",
    )
    columns, rows = labelled_rows(dataset_store, result)
    assert columns == ["actor", "actorLabel", "target", "targetLabel"]
    kosmos = next(r for r in rows if r["target"] == ID + "asset/kosmos-1408")
    assert kosmos["actor"] == ID + "actor/russia"
    assert kosmos["actorLabel"] == "Russia" and kosmos["targetLabel"] == "Kosmos 1408"
    nodes, edges = graph_of(result, rows)
    assert nodes[ID + "actor/russia"] == "Russia"
    assert (ID + "actor/russia", "target", ID + "asset/kosmos-1408", "other") in edges


def test_a_property_parameter_offers_the_ontologys_relations(dataset_store: OxigraphStore) -> None:
    """Read from the ontology (not a copied list): every relation a text states, and not the
    review decision's bookkeeping link or the date."""
    predicate = next(
        c for c in param_choices(dataset_store, "fact_evidence") if c.name == "predicate"
    )
    offered = {label for _, label in predicate.options}
    assert {"conducted", "attributedTo", "memberOf", "threatens"} <= offered
    assert not offered & {"reviewedEvidence", "date", "conductedBy"}
