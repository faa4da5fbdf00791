"""ingest.nlp.chunks: long texts go through in bounded chunks, evidence still points home."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import pairwise

import spacy
from spacy.tokens import Doc

from ingest.load import load_text
from ingest.nlp import BATCH_CHARS, _batches, analyse, extract
from ingest.nlp.chunks import chunk_bounds

PARAGRAPH = (
    "Russia conducted a direct-ascent anti-satellite missile test on 15 November 2021. "
    "The test destroyed Kosmos 1408 and created debris that threatens the International "
    "Space Station. NATO condemned the test."
)


def test_chunks_cover_the_text_in_order_within_the_limit() -> None:
    text = "\n\n".join(f"Paragraph {n}. " + "word " * (n * 7 % 30) for n in range(200))
    bounds = chunk_bounds(text, 500)
    assert "".join(text[a:b] for a, b in bounds) == text
    assert all(b - a <= 500 for a, b in bounds)
    assert all(a2 == b1 for (_, b1), (a2, _) in pairwise(bounds))
    # Every cut is just after a paragraph break when one lies in the chunk's second half.
    assert all(text[b - 2 : b] == "\n\n" for _, b in bounds[:-1])


def test_a_text_without_breaks_is_cut_at_words_and_then_anywhere() -> None:
    words = "alpha beta gamma delta " * 100
    assert all(words[b - 1] == " " for _, b in chunk_bounds(words, 90)[:-1])
    solid = "x" * 1000
    assert chunk_bounds(solid, 300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]
    assert chunk_bounds("", 300) == [(0, 0)]


def test_chunked_evidence_points_into_the_whole_text() -> None:
    text = "\n\n".join([PARAGRAPH] * 6)
    source = load_text(text, title="Chunked", date="2022-01-01", url="https://example.org/c")
    whole = extract([source])[0]
    chunked = extract([source], chunk_chars=len(PARAGRAPH) + 10)[0]
    assert whole.doc is not None and chunked.doc is None
    assert len(chunked.sentences) == len(whole.sentences)
    for sentence in chunked.sentences:
        assert source.text[sentence.start_char : sentence.end_char] == sentence.text
    for mention in chunked.mentions:
        assert source.text[mention.start_char : mention.end_char] == mention.text
        sentence = chunked.sentences[mention.sentence]
        assert sentence.start_char <= mention.start_char < sentence.end_char
    assert {r.sentence for r in chunked.relations} <= set(range(len(chunked.sentences)))
    # The same names in six chunks are the same entities, and the same facts are read.
    assert set(chunked.entities) == set(whole.entities)
    key = {(r.subject, r.predicate, r.object) for r in whole.relations}
    assert {(r.subject, r.predicate, r.object) for r in chunked.relations} == key
    # Facts of the sixth chunk carry the sixth copy's sentences.
    last = [r for r in chunked.relations if r.sentence >= len(chunked.sentences) - 3]
    assert last
    # A name's six mentions share one string (a long text repeats a few thousand names).
    russia = [m.text for m in chunked.mentions if m.text == "Russia"]
    assert len(russia) == 6 and len({id(t) for t in russia}) == 1


def test_a_generic_mention_is_one_event_of_the_whole_text() -> None:
    # The condemnation keeps the unnamed test an individual (a common-noun event in no
    # relation is dropped, `resolve`); the later mention in another chunk is the same event
    # (it takes part in a fact of its sentence: a short reference elsewhere is left out, `fit`).
    text = (
        "NATO condemned the test.\n\n"
        + "Filler sentence here. " * 20
        + "\n\nThe test destroyed Kosmos 1408."
    )
    chunked = analyse(text, chunk_chars=200)
    tests = [m for m in chunked.mentions if "/event/" in m.iri and "test" in m.text]
    assert len(tests) == 2 and len({m.iri for m in tests}) == 1, chunked.mentions


def test_progress_counts_chunks() -> None:
    seen: list[tuple[int, int]] = []
    text = "\n\n".join([PARAGRAPH] * 4)
    extract(
        [load_text(text, title="P")],
        chunk_chars=len(PARAGRAPH) + 10,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_batches_are_bounded_in_characters_and_documents() -> None:
    class Fake:
        def __init__(self, n: int) -> None:
            self.text = "x" * n

    sizes = [40_000, 40_000, 40_000, 10, 10, 90_000]
    batches = list(_batches(iter(Fake(n) for n in sizes), 32, BATCH_CHARS))  # type: ignore[arg-type]
    assert [[len(d.text) for d in b] for b in batches] == [
        [40_000, 40_000],
        [40_000, 10, 10],
        [90_000],
    ]
    assert [len(b) for b in _batches(iter(Fake(1) for _ in range(70)), 32, BATCH_CHARS)] == [
        32,
        32,
        6,
    ]  # type: ignore[arg-type]


def test_the_ingest_reports_progress_per_part_of_a_long_document(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ingest.config import Settings
    from ingest.nlp.chunks import CHUNK_CHARS
    from ingest.pipeline import ingest_sources
    from ingest.store import OxigraphStore

    text = "\n\n".join([PARAGRAPH] * (2 * CHUNK_CHARS // len(PARAGRAPH) + 2))
    source = load_text(text, title="Long", date="2022-01-01", path="long.md")
    seen: list[str] = []
    store = OxigraphStore(tmp_path / "store")
    report = ingest_sources(
        store, [source], Settings.from_env(), lambda d, t, name: seen.append(name)
    )
    store.close()
    assert not report.failed
    assert [s for s in seen if "part" in s] == [f"long.md: part {n} of 3" for n in (1, 2, 3)]


def test_worker_processes_read_the_same_facts() -> None:
    text = "\n\n".join([PARAGRAPH] * 8)
    source = load_text(text, title="Parallel", date="2022-01-01", url="https://example.org/p")
    chunk = len(PARAGRAPH) + 10
    one = extract([source], chunk_chars=chunk, processes=1)[0]
    two = extract([source], chunk_chars=chunk, processes=2)[0]
    assert len(one.sentences) == 8 * 3
    assert [(m.start_char, m.end_char, m.iri) for m in two.mentions] == [
        (m.start_char, m.end_char, m.iri) for m in one.mentions
    ]
    assert two.relations == one.relations
    assert set(two.entities) == set(one.entities)


def test_a_failure_inside_the_parallel_stream_leaves_the_pipeline_whole() -> None:
    """Regression: the worker stream disables the later components while it runs."""
    import pytest

    from ingest.nlp import build_pipeline

    names = list(build_pipeline().pipe_names)
    text = "\n\n".join([PARAGRAPH] * 8)
    source = load_text(text, title="Stopped", date="2022-01-01")

    def stop(done: int, total: int) -> None:
        raise RuntimeError("stopped by the caller")

    with pytest.raises(RuntimeError, match="stopped by the caller") as caught:
        extract([source], chunk_chars=len(PARAGRAPH) + 10, processes=2, progress=stop)
    # The traceback is still held (as a caller that logs it would): its frames keep the stream.
    assert caught.traceback
    assert build_pipeline().pipe_names == names


class _BatchSize:
    """Records on each Doc how many Docs came in its batch (spaCy sends Doc.user_data back
    from a worker process with the Doc)."""

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data["batch"] = 1
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 1) -> Iterator[Doc]:
        batch = list(docs)
        for doc in batch:
            doc.user_data["batch"] = len(batch)
        yield from batch


def test_worker_processes_get_one_chunk_per_batch() -> None:
    """Regression: batches of five 20k-character chunks kept each worker at ~500 MB on a
    3 MB text; one chunk a batch halves that."""
    from spacy.language import Language

    from ingest.nlp import _parallel
    from ingest.nlp.assemble import LINKER

    if not Language.has_factory("test_batch_size"):
        Language.factory("test_batch_size", func=lambda nlp, name: _BatchSize())
        Language.component("test_unchanged", func=lambda doc: doc)
    nlp = spacy.blank("en")
    nlp.add_pipe("test_batch_size")
    # `_parallel` runs the linker and what follows it in this process: a no-op stands in.
    nlp.add_pipe("test_unchanged", name=LINKER)
    docs = (nlp.make_doc(f"Chunk number {n}.") for n in range(12))
    seen = [(doc.text, doc.user_data["batch"]) for doc in _parallel(nlp, docs, 2)]
    assert [text for text, _ in seen] == [f"Chunk number {n}." for n in range(12)]
    assert {size for _, size in seen} == {1}
