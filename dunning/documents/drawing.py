"""Drawing many documents at once: worker processes, each with one PdfRenderer (pdf.py), beside this one.

render_many() draws a batch and returns its PDFs in order: this process and spawned workers take small chunks
from one queue, so the batch starts at once (a worker needs about a second to import WeasyPrint) and both
cores stay busy to its end. RenderPool lets a batch that composes and sends (dispatch/send.py) hand chunks to
workers and take each chunk's PDFs when it needs them. Workers are spawned, never forked (this may run in a
Streamlit server thread), and without the caller's __main__ (the page script must not run again in them).
While a batch draws, Python's cyclic garbage collector runs less often (fewer_collections).
"""

from __future__ import annotations

import gc
import importlib.machinery
import multiprocessing
import os
import sys
import threading
import types
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from dunning.documents.pdf import PdfRenderer, renderer
from dunning.documents.templating import templates_dir
from dunning.errors import DunningError

# A worker process costs about a second to start (a fresh interpreter imports WeasyPrint and builds its
# renderer), the time of some 20 letters: smaller batches render in this process.
MIN_DOCUMENTS_PER_WORKER = 20
CHUNKS_PER_WORKER = 4  # several chunks per worker, so one that gets the long documents does not hold the rest
MAX_CHUNK = 8  # documents per chunk at most: the processes share the queue evenly to its end
IN_FLIGHT_PER_WORKER = 2  # chunks handed to each worker ahead, so it never waits for the next
GC_THRESHOLDS = (10_000, 50, 100)  # the collector's thresholds while a batch draws (fewer_collections)


def worker_count(documents: int, workers: int | None = None) -> int:
    """How many processes render a batch: `workers` as given (at most one per document), else one per
    available core, fewer when the batch is too small to pay for starting them; 1 means this process."""
    if workers is not None and workers < 1:
        raise DunningError(f"workers: {workers}; give 1 or more processes, or None for one per core")
    if workers is None:
        cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
        workers = min(len(cores), documents // MIN_DOCUMENTS_PER_WORKER)
    return max(1, min(workers, documents))


class RenderPool:
    """Worker processes and this one drawing a batch's PDFs while the batch goes on: it submits documents in
    chunks as it composes them and takes each chunk's PDFs when it needs them. Chunks wait in one queue;
    each worker is handed IN_FLIGHT_PER_WORKER ahead, and this process draws a chunk itself whenever it
    would otherwise wait (the one it needs if no worker has it yet, else the next in the queue), so that
    composing, drawing and delivering overlap on every core. By default it starts worker_count(expected)
    workers, one per core for a large batch, besides this process, which is busy composing and sending and
    draws only when it would wait; none for a small one (this process draws everything). `processes` says
    how many to start instead (render_many, where this process only draws, starts one fewer than the cores). A context manager: the workers start on entry, without waiting for them, and stop on exit;
    meanwhile the garbage collector runs less often here (fewer_collections)."""

    def __init__(
        self,
        folder: str | Path | None = None,
        workers: int | None = None,
        expected: int = 0,
        *,
        processes: int | None = None,
    ) -> None:
        self.root = templates_dir(folder)
        if processes is None:
            count = worker_count(max(expected, 1), workers)
            processes = count if count > 1 else 0
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._queue: deque[int] = deque()  # chunks no worker has been handed, by number
        self._chunks: dict[int, list[str]] = {}  # their documents
        self._handed: dict[int, Future[list[bytes]]] = {}  # chunks a worker has
        self._drawn: dict[int, list[bytes]] = {}  # PDFs of chunks not yet taken
        self._failed: dict[int, Exception] = {}  # chunks that could not be drawn, with why
        self._submitted = 0
        self._fewer = fewer_collections()

    def __enter__(self) -> RenderPool:
        self._fewer.__enter__()
        try:
            if self.processes > 0:
                with _main_left_alone():
                    self._pool = ProcessPoolExecutor(
                        self.processes, mp_context=multiprocessing.get_context("spawn"),
                        initializer=_start_worker, initargs=(str(self.root),),
                    )  # fmt: skip
                    # each submit to a pool without an idle worker starts one: all start here, without __main__
                    for _ in range(self.processes):
                        self._pool.submit(_started)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
        finally:
            self._fewer.__exit__(None, None, None)

    def submit(self, htmls: Sequence[str]) -> int:
        """Queue a chunk of documents; its number, for take()."""
        number = self._submitted
        self._submitted += 1
        self._chunks[number] = list(htmls)
        self._queue.append(number)
        self._hand_out()
        return number

    def take(self, number: int) -> list[bytes]:
        """The PDFs of a submitted chunk, in order, drawn here meanwhile if that is sooner. A chunk that could
        not be drawn raises its error here, and only for that chunk; workers that died are a DunningError
        that says how to see the cause (and the chunks they had not taken are drawn here)."""
        while number not in self._drawn and number not in self._failed:
            self._hand_out()
            if number in self._drawn or number in self._failed:
                break
            if number in self._queue:  # no worker has it: draw it here
                self._queue.remove(number)
                self._draw(number)
            elif self._queue:  # a worker has it: draw the next one here meanwhile
                self._draw(self._queue.popleft())
            else:
                wait([self._handed[number]])
        if number in self._failed:
            raise self._failed.pop(number)
        return self._drawn.pop(number)

    def _draw(self, number: int) -> None:
        htmls = self._chunks.pop(number)
        try:
            self._drawn[number] = [renderer(self.root).render(html) for html in htmls]
        except Exception as exc:  # noqa: BLE001 - kept for take(number): the batch goes on with the others
            self._failed[number] = exc

    def _hand_out(self) -> None:
        """Collect what the workers finished, then hand each its share of the queue (in that order: a worker
        whose chunks are finished is idle)."""
        for number, future in list(self._handed.items()):
            if future.done():
                del self._handed[number]
                try:
                    self._drawn[number] = future.result()
                except BrokenProcessPool as exc:
                    self._broken(exc)
                except Exception as exc:  # noqa: BLE001 - the chunk's own error, for take(number)
                    self._failed[number] = exc
        while (
            self._pool is not None
            and self._queue
            and len(self._handed) < IN_FLIGHT_PER_WORKER * self.processes
        ):
            number = self._queue.popleft()
            try:
                self._handed[number] = self._pool.submit(_render_chunk, self._chunks[number])
            except BrokenProcessPool as exc:
                self._queue.appendleft(number)
                self._broken(exc)
            else:
                del self._chunks[number]

    def _broken(self, exc: BaseException) -> None:
        """The workers died: what they held fails with an error that says so; the rest is drawn here."""
        error = DunningError(
            f"a process rendering PDFs stopped unexpectedly ({exc}); try again with workers=1 to see the cause"
        )
        for number in list(self._handed):
            self._failed[number] = error
        self._handed.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def render_many(
    htmls: Sequence[str], folder: str | Path | None = None, workers: int | None = None
) -> list[bytes]:
    """PDF bytes of each HTML document, in order, drawn by `workers` processes, this one among them (None:
    one per core; small batches stay in this process). The others are spawned without the caller's __main__,
    so they never run the calling script or page again. This process draws too, from the same queue of small
    chunks, so the batch starts at once instead of waiting a second for the others to import WeasyPrint."""
    documents = list(htmls)
    count = worker_count(len(documents), workers)
    with RenderPool(folder, processes=count - 1) as pool:
        chunks, start = [], 0
        for size in chunk_sizes(len(documents), count):
            chunks.append(pool.submit(documents[start : start + size]))
            start += size
        return [pdf for chunk in chunks for pdf in pool.take(chunk)]


def chunk_sizes(documents: int, processes: int) -> list[int]:
    """How a batch of `documents` is cut into chunks for `processes`: each chunk a CHUNKS_PER_WORKER-th of
    a process's share of what is left, at most MAX_CHUNK, so the chunks shrink to one document as the batch
    nears its end and the processes finish together instead of one waiting for the other's last chunk."""
    sizes, left = [], documents
    while left > 0:
        size = max(1, min(MAX_CHUNK, left // (processes * CHUNKS_PER_WORKER)))
        sizes.append(size)
        left -= size
    return sizes


class _Collections:
    """How many batches draw in this process now, and the collector's thresholds from before the first."""

    lock = threading.Lock()
    batches = 0
    before = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """While a batch draws here: Python's cyclic garbage collector runs less often. WeasyPrint allocates
    millions of small objects per batch; at the default thresholds collecting took about a tenth of the
    drawing time (benchmarks/bench_documents.py). The setting is restored when the last batch ends."""
    with _Collections.lock:
        if _Collections.batches == 0:
            _Collections.before = gc.get_threshold()
            gc.set_threshold(*GC_THRESHOLDS)
        _Collections.batches += 1
    try:
        yield
    finally:
        with _Collections.lock:
            _Collections.batches -= 1
            if _Collections.batches == 0:
                gc.set_threshold(*_Collections.before)


_worker: PdfRenderer | None = None
_main_lock = threading.Lock()


@contextmanager
def _main_left_alone() -> Iterator[None]:
    """While worker processes start: a __main__ that multiprocessing leaves alone in them.

    A spawned process runs its parent's __main__ again before it works, unless that module is named __main__
    itself. In a Streamlit server and in AppTest, __main__ is the page script: a worker would run the app (and
    die on it, which broke sending from the page). The workers need nothing of it: their code is here."""
    with _main_lock:
        main = sys.modules["__main__"]
        stub = types.ModuleType("__main__")
        stub.__spec__ = importlib.machinery.ModuleSpec("__main__", None)
        sys.modules["__main__"] = stub
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def _started() -> bool:
    return _worker is not None


def _start_worker(folder: str) -> None:
    global _worker
    _worker = PdfRenderer(folder)
    # a worker only draws: what it imported stays (frozen out of the collector's way), and the collector
    # runs less often (fewer_collections)
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _render_chunk(htmls: list[str]) -> list[bytes]:
    if _worker is None:  # pragma: no cover - the pool's initializer always runs first
        raise DunningError("the PDF worker process was started without its renderer")
    return [_worker.render(html) for html in htmls]
