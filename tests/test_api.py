"""The Python API (`import spacekg`) on a real embedded store and a real Oxigraph server.

The store holds the query fixture dataset (two ingested documents, review evidence, an
inferred graph) with the real ontology and reference data; the server gets a copy of every
graph, so both backends must give the same rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import requests
import spacekg
from conftest import QUERY_DATASET, load_dataset
from rdflib import RDFS, URIRef

from ingest.api_rows import LABEL_BATCH, labels
from ingest.config import ID_NS, ONTOLOGY_NS, QUERIES_DIR
from ingest.ontology import ontology_graph
from ingest.queries import QUERY_LIBRARY
from ingest.store import EndpointStore, OxigraphStore

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "docs" / "notebook_example.py"
SKG_STATE = URIRef(ONTOLOGY_NS + "State")


def _env_for_subprocess() -> dict[str, str]:
    """A child Python that imports this checkout's `ingest` and `spacekg`, as pytest does."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "ingest" / "toplevel")])
    return env


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed embedded store: the fixture documents plus the current curated graphs."""
    path = tmp_path_factory.mktemp("api") / "store"
    store = OxigraphStore(path)
    try:
        load_dataset(store, QUERY_DATASET)
        store.ensure_reference()
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def endpoint(store_dir: Path, oxigraph_server: str) -> str:
    """The real Oxigraph server holding a copy of every graph of `store_dir`."""
    requests.post(
        oxigraph_server + "/update",
        data=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
        timeout=30,
    ).raise_for_status()
    source = OxigraphStore(store_dir, read_only=True)
    server = EndpointStore(oxigraph_server + "/query", oxigraph_server + "/update")
    try:
        for graph in source.graph_names():
            server.replace_graph(graph, source.graph(graph))
    finally:
        source.close()
    return oxigraph_server + "/query"


@pytest.fixture
def kg(store_dir: Path) -> Iterator[spacekg.KnowledgeGraph]:
    with spacekg.open(store_dir) as graph:
        yield graph


# --- opening -----------------------------------------------------------------------------


def test_open_refuses_what_is_no_store(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "file.ttl").write_text("# not a store\n", encoding="utf-8")
    cases = {
        str(tmp_path / "missing"): "there is no store here",
        tmp_path / "empty": "this folder is empty, not a store",
        str(tmp_path / "file.ttl"): "this is a file, not a store folder",
        "ftp://127.0.0.1/sparql": "cannot open a ftp: URL",
    }
    for target, message in cases.items():
        with pytest.raises(spacekg.StoreError, match=message) as caught:
            spacekg.open(target)
        assert "spacekg ingest" in str(caught.value) or "http(s)" in str(caught.value)
    assert not (tmp_path / "missing").exists(), "opening must not create a store"


def test_close_and_context_manager(store_dir: Path) -> None:
    with spacekg.open(store_dir) as graph:
        assert len(graph.query("graph_stats")) > 0
        assert "open" in repr(graph)
    assert "closed" in repr(graph)
    with pytest.raises(spacekg.StoreError, match="the graph is closed"):
        graph.query("graph_stats")
    graph.close()  # twice is harmless
    # Nothing holds the store: a writer can take it.
    OxigraphStore(store_dir).close()


# --- the query library -------------------------------------------------------------------


def test_queries_list_the_library_with_summaries_and_params(kg: spacekg.KnowledgeGraph) -> None:
    listed = kg.queries()
    assert [q.name for q in listed] == sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))
    for info in listed:
        text = (QUERIES_DIR / f"{info.name}.rq").read_text(encoding="utf-8")
        assert f"#+ summary: {info.summary}" in text
        for param in info.params:
            assert f"name: {param.name}" in text
            assert "?" + param.name in text
    profile = next(q for q in listed if q.name == "actor_profile")
    assert [(p.name, p.type, p.required) for p in profile.params] == [("actor", "iri", True)]
    assert str(profile).startswith("actor_profile(actor: iri): ")


def test_rows_carry_each_iri_with_its_label(kg: spacekg.KnowledgeGraph) -> None:
    rows = kg.query("capability_matrix")
    assert len(rows) > 3
    assert rows.columns[:2] == ("actor", "actorLabel")
    graph = ontology_graph()
    for row in rows:
        actor, capability = row["actor"], row["capability"]
        assert isinstance(actor, spacekg.Entity) and isinstance(capability, spacekg.Entity)
        assert actor.iri.startswith(ID_NS + "actor/")
        # The query's own label column agrees with the looked-up label.
        assert actor.label == row["actorLabel"] and str(actor) == actor.label
        assert capability.label == row["capabilityLabel"]
        assert isinstance(row["evidenceCount"], int)
    # Ontology terms get the ontology's label.
    states = kg.query("actors_by_type", class_="skg:State")
    assert states and {r["type"].iri for r in states} == {str(SKG_STATE)}
    assert {r["type"].label for r in states} == {str(graph.value(SKG_STATE, RDFS.label))}
    assert all(r["actor"].label == r["label"] for r in states)


def test_query_refuses_unknown_names_and_bad_params(kg: spacekg.KnowledgeGraph) -> None:
    with pytest.raises(spacekg.QueryError, match="there is no query named 'nope'") as caught:
        kg.query("nope")
    assert "capability_matrix" in str(caught.value)  # the names there are
    with pytest.raises(spacekg.QueryError, match=r"unknown parameter 'colour'.*valid parameters"):
        kg.query("capability_matrix", colour="red")
    with pytest.raises(spacekg.QueryError, match="missing required parameter 'actor'"):
        kg.query("actor_profile")
    with pytest.raises(spacekg.QueryError, match=r"param 'actor'.*bad value"):
        kg.query("actor_profile", actor="not an iri")
    checks = sorted(p.stem for p in (QUERIES_DIR / "checks").glob("*.rq"))
    assert checks, "the store's checks are not library queries"
    with pytest.raises(spacekg.QueryError, match="there is no query named"):
        kg.query(checks[0])


def test_query_params_bind_values_not_text(kg: spacekg.KnowledgeGraph) -> None:
    russia = kg.query("capability_matrix", actor="actor/russia")
    everyone = kg.query("capability_matrix")
    assert russia and len(russia) < len(everyone)
    assert {r["actor"].iri for r in russia} == {ID_NS + "actor/russia"}
    assert [r for r in everyone if r["actor"].iri == ID_NS + "actor/russia"] == list(russia)
    # Text that would break out of a string literal is one search text, not SPARQL.
    assert len(kg.query("entity_search", text='x" } UNION { ?entity ?p ?o } #')) == 0


def test_to_dataframe_puts_labels_and_iris_side_by_side(kg: spacekg.KnowledgeGraph) -> None:
    rows = kg.query("capability_matrix")
    frame = rows.to_dataframe()
    assert list(frame.columns[:3]) == ["actor", "actor_iri", "actorLabel"]
    assert len(frame) == len(rows)
    assert list(frame["actor"]) == [r["actor"].label for r in rows]
    assert list(frame["actor_iri"]) == [r["actor"].iri for r in rows]
    assert list(frame["evidenceCount"]) == [r["evidenceCount"] for r in rows]


def test_labels_come_in_batches_and_fall_back(store_dir: Path) -> None:
    store = OxigraphStore(store_dir, read_only=True)
    try:
        russia = URIRef(ID_NS + "actor/russia")
        unknown = {URIRef(f"{ID_NS}actor/nobody-{i}") for i in range(LABEL_BATCH + 5)}
        names = labels(store, unknown | {russia, SKG_STATE})
    finally:
        store.close()
    assert names[russia] == "Russia"
    assert names[SKG_STATE] == str(ontology_graph().value(SKG_STATE, RDFS.label))
    assert names[URIRef(ID_NS + "actor/nobody-7")] == "nobody 7"  # the slug, no label


# --- free SPARQL ---------------------------------------------------------------------------


def test_sparql_runs_read_only_queries_within_the_limits(kg: spacekg.KnowledgeGraph) -> None:
    text = (
        "SELECT ?actor WHERE { ?actor a <https://w3id.org/spacekg/ontology#State> } ORDER BY ?actor"
    )
    rows = kg.sparql(text, row_limit=3)
    assert len(rows) == 3 and rows.truncated
    assert all(isinstance(r["actor"], spacekg.Entity) and r["actor"].label for r in rows)
    everything = kg.sparql(text)
    assert not everything.truncated and len(everything) > 3
    assert list(everything[:3]) == list(rows)
    assert kg.sparql("ASK { ?s ?p ?o }")[0] == {"boolean": True}
    with pytest.raises(spacekg.QueryError):
        kg.sparql("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(spacekg.QueryError, match=r"SERVICE|remote"):
        kg.sparql("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(spacekg.QueryError, match="exclude can be"):
        kg.sparql(text, exclude=["everything"])


# --- a SPARQL server -------------------------------------------------------------------------


@pytest.mark.server
def test_endpoint_gives_the_same_rows_as_the_embedded_store(store_dir: Path, endpoint: str) -> None:
    with spacekg.open(store_dir) as local, spacekg.open(endpoint) as remote:
        assert "SPARQL endpoint" in repr(remote)
        for name in ("capability_matrix", "nato_members", "asat_tests_and_attacks"):
            expected = local.query(name)
            assert len(expected) > 0, name
            assert list(remote.query(name)) == list(expected), name
        russia = remote.query("actor_profile", actor="skgid:actor/russia")
        assert russia and all(isinstance(r["property"], spacekg.Entity) for r in russia)
        text = (
            "SELECT ?member WHERE { ?m <http://www.w3.org/ns/org#member> ?member } ORDER BY ?member"
        )
        assert list(remote.sparql(text)) == list(local.sparql(text))
        assert remote.sparql(text, row_limit=2).truncated


@pytest.mark.server
def test_endpoint_labels_ontology_terms_from_the_ontology_file(endpoint: str) -> None:
    base = endpoint.removesuffix("/query")
    server = EndpointStore(endpoint, base + "/update")
    server.drop_graph(URIRef("https://w3id.org/spacekg/graph/ontology"))
    try:
        with spacekg.open(endpoint) as remote:
            rows = remote.query("actors_by_type", class_="skg:State")
        assert rows and {r["type"].label for r in rows} == {
            str(ontology_graph().value(SKG_STATE, RDFS.label))
        }
    finally:
        server.replace_graph(URIRef("https://w3id.org/spacekg/graph/ontology"), ontology_graph())


# --- import and packaging ------------------------------------------------------------------


def test_spacekg_reexports_the_library() -> None:
    import ingest.api

    assert spacekg.open is ingest.api.open_kg
    assert spacekg.Rows is ingest.api.Rows
    assert Path(spacekg.__file__).parent == ROOT / "ingest" / "toplevel" / "spacekg"


def test_import_needs_no_pandas_and_to_dataframe_says_what_is_missing(store_dir: Path) -> None:
    script = (
        "import sys\n"
        "sys.modules['pandas'] = None  # as if pandas were not installed\n"
        "import spacekg\n"
        f"kg = spacekg.open({str(store_dir)!r})\n"
        "rows = kg.query('capability_matrix')\n"
        "print(len(rows), rows[0]['actor'].label)\n"
        "try:\n"
        "    rows.to_dataframe()\n"
        "except spacekg.DependencyError as exc:\n"
        "    print('ERROR', exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env_for_subprocess(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    first, error = done.stdout.splitlines()
    assert int(first.split()[0]) > 0
    assert error.startswith("ERROR Rows.to_dataframe: pandas is not installed")
    assert "pip install pandas" in error
    plain = subprocess.run(
        [sys.executable, "-c", "import sys, spacekg; print('pandas' in sys.modules)"],
        cwd=ROOT,
        env=_env_for_subprocess(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plain.stdout.strip() == "False", "import spacekg must not import pandas"


def test_pyproject_maps_spacekg_to_the_package_tests_import() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert "spacekg" in setuptools["packages"]
    mapped = ROOT / setuptools["package-dir"]["spacekg"]
    assert mapped == Path(spacekg.__file__).parent
    assert (
        str(mapped.parent.relative_to(ROOT))
        in config["tool"]["pytest"]["ini_options"]["pythonpath"]
    )


def test_installed_distribution_maps_spacekg_to_this_checkout(tmp_path: Path) -> None:
    """`make setup` installs this checkout editable: a fresh interpreter, started away from
    it and without PYTHONPATH, finds `spacekg` through the installed mapping."""
    from importlib.metadata import distributions

    # Installed copies record where they came from; an egg-info left in the checkout by a
    # build does not, and is no installation.
    sources = [
        json.loads(text)["url"]
        for dist in distributions(name="spacekg")
        if (text := dist.read_text("direct_url.json"))
    ]
    if not sources:
        pytest.fail("spacekg is not installed in this environment: run `make setup`")
    installed_from = [Path(unquote(urlparse(url).path)).resolve() for url in sources]
    if ROOT.resolve() not in installed_from:
        pytest.skip(f"this environment installs spacekg from {installed_from[0]}, not {ROOT}")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import spacekg, ingest.api; assert spacekg.open is ingest.api.open_kg; "
            "print(spacekg.__file__)",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, (
        f"the install predates the mapping? run `make setup`: {done.stderr}"
    )
    assert Path(done.stdout.strip()) == ROOT / "ingest" / "toplevel" / "spacekg" / "__init__.py"


# --- the notebook example ------------------------------------------------------------------


def test_notebook_example_runs_on_a_store(store_dir: Path, kg: spacekg.KnowledgeGraph) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(store_dir)],
        cwd=ROOT,
        env=_env_for_subprocess(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for name, spec in QUERY_LIBRARY.items():
        assert f"{name}(" in out and spec.summary in out, name
    matrix = kg.query("capability_matrix")
    assert f"capability_matrix: {len(matrix)} rows" in out
    for row in matrix:
        assert f"  {row['actor'].label} -> {row['capability'].label} " in out
    counts = matrix.to_dataframe().groupby("actor")["capability"].count()
    section = out.split("capabilities per actor:")[1].split("actors_by_type")[0]
    for actor, count in counts.items():
        assert f"{actor} " in section and section.count(f" {count}\n") >= 1
    states = kg.query("actors_by_type", class_="skg:State")
    assert f"actors_by_type(class=skg:State): {len(states)} rows" in out
    assert ", ".join(r["actor"].label for r in states) in out
