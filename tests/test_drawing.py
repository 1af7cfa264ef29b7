"""Drawing batches (dunning/documents/drawing.py): how many processes, every document once and in order,
workers that refuse what the renderer refuses and never run the caller's script, the collector restored."""

from __future__ import annotations

import gc
import os
import sys
import types

import pytest

from dunning.dispatch.letters import STREAM_CHUNK, Letters
from dunning.documents.drawing import (
    CHUNKS_PER_WORKER,
    GC_THRESHOLDS,
    MAX_CHUNK,
    MIN_DOCUMENTS_PER_WORKER,
    RenderPool,
    chunk_sizes,
    fewer_collections,
    render_many,
    worker_count,
)
from dunning.errors import BadInput, DunningError
from tests.test_pdf import page_texts


@pytest.mark.parametrize(
    ("documents", "workers", "expected"),
    [
        (500, 2, 2),
        (500, 1, 1),
        (3, 8, 3),  # never more processes than documents
        (0, 2, 1),
        (MIN_DOCUMENTS_PER_WORKER - 1, None, 1),  # too few to pay for a process: this one renders them
    ],
)
def test_worker_count(documents, workers, expected):
    assert worker_count(documents, workers) == expected


def test_worker_count_by_default_is_one_per_core_for_a_large_batch():
    cores = len(os.sched_getaffinity(0))
    assert worker_count(MIN_DOCUMENTS_PER_WORKER * cores) == cores


def test_worker_count_refuses_zero():
    with pytest.raises(DunningError, match="workers: 0"):
        worker_count(10, 0)


@pytest.mark.parametrize("workers", [1, 2])
def test_render_many_returns_each_document_in_order(folder, tmp_path, http_server, workers):
    base, seen = http_server
    htmls = [
        f'<link rel="stylesheet" href="assets/ok.css"><link rel="stylesheet" href="{base}/x.css">'
        f"<p>Document {i:03d}</p>"
        for i in range(9)
    ]
    pdfs = render_many(htmls, folder, workers=workers)
    assert len(pdfs) == len(htmls)
    for i, pdf in enumerate(pdfs):
        (text,) = page_texts(pdf)
        assert f"Document {i:03d}" in text and "ALLOWED-INSIDE" in text
        assert "FETCHED-OVER-HTTP" not in text
    assert seen == []  # worker processes refuse the network too


def test_workers_never_run_the_callers_main_script(folder, tmp_path, monkeypatch):
    # in a Streamlit server (and AppTest) __main__ is the page script; a spawned worker used to run it again,
    # and died on it: sending from the page broke. A __main__ that must not run stands for it here.
    script = tmp_path / "page.py"
    script.write_text("raise SystemExit('the page script ran in a worker')\n", encoding="utf-8")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    pdfs = render_many([f"<p>Document {i}</p>" for i in range(4)], folder, workers=2)
    assert [page_texts(pdf)[0].strip() for pdf in pdfs] == [f"Document {i}" for i in range(4)]
    assert sys.modules["__main__"] is page  # the caller's __main__ is back


@pytest.mark.parametrize(("documents", "processes"), [(500, 2), (37, 2), (100, 3), (5, 1), (1, 2), (0, 2)])
def test_chunks_cover_the_batch_once_and_shrink_to_single_documents_at_its_end(documents, processes):
    sizes = chunk_sizes(documents, processes)
    assert sum(sizes) == documents
    assert all(1 <= size <= MAX_CHUNK for size in sizes)
    assert sizes == sorted(sizes, reverse=True)  # never a larger chunk after a smaller one
    if documents >= processes * CHUNKS_PER_WORKER:
        assert sizes[-processes:] == [1] * processes  # the processes finish within a document of each other
    if documents >= MAX_CHUNK * processes * CHUNKS_PER_WORKER:
        assert sizes[0] == MAX_CHUNK


def test_render_many_of_nothing():
    assert render_many([], workers=2) == []


@pytest.mark.parametrize("processes", [0, 1, 2])
def test_a_pool_gives_each_chunk_its_own_pdfs_whoever_draws_them(folder, processes):
    # chunks are taken out of order: some this process draws (no worker has them yet, or it waits), the
    # workers the others; each comes back whole and in its order
    with RenderPool(folder, processes=processes) as pool:
        chunks = [pool.submit([f"<p>Chunk {c} document {i}</p>" for i in range(2)]) for c in range(6)]
        drawn = {c: pool.take(chunks[c]) for c in (5, 0, 3, 1, 2, 4)}
    assert {c: [page_texts(p)[0].strip() for p in pdfs] for c, pdfs in drawn.items()} == {
        c: [f"Chunk {c} document {i}" for i in range(2)] for c in range(6)
    }


def test_the_collector_runs_less_often_while_batches_draw_and_as_before_after_the_last():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == GC_THRESHOLDS
        with fewer_collections():  # a second batch at the same time, in another session's thread
            assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_threshold() == GC_THRESHOLDS  # the first still draws
    assert gc.get_threshold() == before


@pytest.mark.parametrize("processes", [0, 1])
def test_a_chunk_that_cannot_be_drawn_fails_alone_and_only_where_it_is_taken(folder, processes):
    with RenderPool(folder, processes=processes) as pool:
        good = pool.submit(["<p>Before</p>"])
        bad = pool.submit([None])  # not a document: drawing it raises, here or in a worker
        after = pool.submit(["<p>After</p>"])
        assert page_texts(pool.take(after)[0])[0].strip() == "After"  # drawn here while the others wait
        with pytest.raises(TypeError, match="source"):
            pool.take(bad)
        assert page_texts(pool.take(good)[0])[0].strip() == "Before"


def test_a_batch_s_letters_by_reminder_a_chunk_that_failed_fails_each_of_its_reminders(folder):
    with RenderPool(folder, processes=1) as pool:
        letters = Letters(pool)
        for rid in range(STREAM_CHUNK):  # one chunk that cannot be drawn
            letters.add(rid, None if rid == 3 else f"<p>Letter {rid}</p>")
        letters.add(100, "<p>Letter 100</p>")
        letters.flush()
        assert page_texts(letters.of(100))[0].strip() == "Letter 100"
        for rid in (0, 3, 7):
            with pytest.raises(BadInput, match="could not be drawn"):
                letters.of(rid)
