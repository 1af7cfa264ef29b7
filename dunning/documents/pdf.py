"""HTML to PDF: the only module that imports WeasyPrint.

Documents are rendered from user-editable templates, so the renderer may load nothing but the project's own
assets: file: URLs inside the templates folder and inline data: URLs. Everything else (http, https, ftp, any
other local file, a file: URL on another host, a path that climbs out with ..) is refused and never fetched;
WeasyPrint then renders the document without that resource.

Speed. A PdfRenderer keeps, for one templates folder, what every document shares: one font configuration
(the shipped fonts are decoded and registered once, and Pango's font caches stay warm), each linked stylesheet
parsed once, the bytes of the assets and the decoded images. A document that links a stylesheet gets the parsed
one (applied with the "user" origin, so a <style> in the template still wins over it) and the link itself is
answered with an empty body, so nothing is fetched or parsed again. render_many() spreads a batch over the
machine's cores: worker processes (spawned, never forked: it may run in a Streamlit server thread) each build
one renderer and take the documents in chunks. benchmarks/bench_documents.py measures both against the
straightforward way (one HTML(string=...).write_pdf() per document).
"""

from __future__ import annotations

import importlib.machinery
import logging
import mimetypes
import multiprocessing
import os
import sys
import threading
import types
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from dunning.documents.templating import templates_dir
from dunning.errors import DunningError

log = logging.getLogger(__name__)
T = TypeVar("T")

# A worker process costs about a second to start (a fresh interpreter imports WeasyPrint and builds its
# renderer), the time of some 20 letters: smaller batches render in this process.
MIN_DOCUMENTS_PER_WORKER = 20
CHUNKS_PER_WORKER = 4  # several chunks per worker, so one that gets the long documents does not hold the rest
IMAGE_CACHE_LIMIT = 256  # decoded images kept between documents (logos; each letter's QR code is new)
STYLESHEET_MEDIA = ("", "all", "print")


# The user-agent stylesheet of rendered documents: WeasyPrint's own without the rules for forms, dir= and
# hidden= attributes and footnotes, which every element of every document was matched against for nothing.
DOCUMENT_UA_STYLESHEET = CSS(string=files("dunning.documents").joinpath("ua.css").read_text(encoding="utf-8"))


class DocumentHTML(HTML):
    """An HTML document styled with DOCUMENT_UA_STYLESHEET instead of WeasyPrint's full HTML5 one."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [DOCUMENT_UA_STYLESHEET]


class FetchRefused(DunningError):
    """A document asked for a resource outside the templates folder; it was not fetched."""


def file_inside(root: Path, url: str) -> tuple[Path | None, str]:
    """The file a file: URL names if it is one inside `root` (links resolved), else None and why not."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None, f"file on another host ({parts.netloc})"
    path = Path(url2pathname(parts.path)).resolve()
    if not path.is_relative_to(root):
        return None, "outside the templates folder"
    if not path.is_file():
        return None, "no such file in the templates folder"
    return path, ""


class TemplatesOnlyFetcher(URLFetcher):
    """Serves file: URLs inside one folder and data: URLs; refuses everything else, without touching it."""

    def __init__(self, root: str | Path) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)
        self.root = Path(root).resolve()
        self.refused: list[str] = []

    def _refuse(self, url: str, why: str) -> FetchRefused:
        self.refused.append(url)
        log.warning("refused to fetch %s: %s", url, why)
        return FetchRefused(f"refused to fetch {url}: {why}; documents may use only files in {self.root}")

    def local_path(self, url: str) -> Path:
        """The file a file: URL names, if it lies inside the root; raises FetchRefused otherwise."""
        path, why = file_inside(self.root, url)
        if path is None:
            raise self._refuse(url, why)
        return path

    def read(self, path: Path) -> bytes:
        """The content of a file that local_path() let through."""
        return path.read_bytes()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise self._refuse(url, f"{scheme or 'relative'} URLs are not allowed")
        path = self.local_path(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), self.read(path), {"Content-Type": mime})


class SharedAssetsFetcher(TemplatesOnlyFetcher):
    """The templates-only fetcher of a PdfRenderer: keeps each file's bytes (read again when the file changes)
    and answers a stylesheet the renderer has parsed already with an empty body."""

    def __init__(self, root: str | Path) -> None:
        super().__init__(root)
        self.parsed: set[Path] = set()
        self._files: dict[Path, tuple[int, bytes]] = {}

    def read(self, path: Path) -> bytes:
        if path in self.parsed:
            return b""
        stamp = path.stat().st_mtime_ns
        kept = self._files.get(path)
        if kept is None or kept[0] != stamp:
            kept = (stamp, path.read_bytes())
            self._files[path] = kept
        return kept[1]


class PdfRenderer:
    """Renders documents of one templates folder, sharing fonts, parsed stylesheets and assets between them.

    One renderer per folder and process; render() may be called from several threads (it renders one
    document at a time: Pango's font caches are not shared across threads)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.root = templates_dir(folder)
        self.base_url = self.root.as_uri() + "/"
        self.fetcher = SharedAssetsFetcher(self.root)
        self.font_config = FontConfiguration()
        self.counter_style = CounterStyle()
        self._stylesheets: dict[Path, tuple[int, CSS]] = {}
        self._images: dict[str, Any] = {}
        self._lock = threading.Lock()

    def render(self, html: str) -> bytes:
        """PDF bytes of an HTML document; relative URLs resolve against the templates folder."""
        with self._lock:
            document = DocumentHTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
            sheets = [self._stylesheet(path) for path in self._linked_stylesheets(document)]
            if len(self._images) > IMAGE_CACHE_LIMIT:
                self._images.clear()
            pdf = document.write_pdf(
                font_config=self.font_config,
                counter_style=self.counter_style,
                stylesheets=sheets,
                cache=self._images,
            )
        if not pdf:  # pragma: no cover - write_pdf without a target always returns bytes
            raise DunningError("WeasyPrint returned no PDF; check the document's HTML")
        return bytes(pdf)

    def _linked_stylesheets(self, document: DocumentHTML) -> list[Path]:
        """The files inside the folder that the document links as print stylesheets, in document order;
        others (outside, missing, for the screen) are left to WeasyPrint and the fetcher's refusal."""
        found = []
        for link in document.etree_element.iter("link"):
            rel = (link.get("rel") or "").lower().split()
            media = (link.get("media") or "").strip().lower()
            href = (link.get("href") or "").strip()
            if "stylesheet" not in rel or "alternate" in rel or media not in STYLESHEET_MEDIA or not href:
                continue
            url = urljoin(document.base_url or self.base_url, href)
            path = file_inside(self.root, url)[0] if url.startswith("file:") else None
            if path is not None:
                found.append(path)
        return found

    def _stylesheet(self, path: Path) -> CSS:
        """The parsed stylesheet of a file inside the folder, parsed again only when the file changed."""
        stamp = path.stat().st_mtime_ns
        kept = self._stylesheets.get(path)
        if kept is None or kept[0] != stamp:
            css = CSS(
                string=path.read_text(encoding="utf-8"),
                base_url=path.as_uri(),
                url_fetcher=self.fetcher,
                font_config=self.font_config,
                counter_style=self.counter_style,
            )
            kept = (stamp, css)
            self._stylesheets[path] = kept
            self.fetcher.parsed.add(path)
        return kept[1]


_renderers: dict[Path, PdfRenderer] = {}
_renderers_lock = threading.Lock()


def renderer(folder: str | Path | None = None) -> PdfRenderer:
    """This process's renderer of a templates folder (the shipped one by default), made on first use."""
    root = templates_dir(folder)
    with _renderers_lock:
        if root not in _renderers:
            _renderers[root] = PdfRenderer(root)
        return _renderers[root]


def html_to_pdf(html: str, folder: str | Path | None = None) -> bytes:
    """PDF bytes of an HTML document; relative URLs resolve against the templates folder (or `folder`)."""
    return renderer(folder).render(html)


def straightforward_pdf(html: str, folder: str | Path | None = None) -> bytes:
    """The same PDF the straightforward way: a new HTML(string=...).write_pdf() with default settings, which
    parses every stylesheet and loads every font again (the benchmark's baseline and the tests' reference)."""
    root = templates_dir(folder)
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=TemplatesOnlyFetcher(root))
    return bytes(document.write_pdf() or b"")


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
    """Worker processes drawing PDFs while the caller goes on: a batch submits its documents in chunks as it
    composes them and takes each chunk's PDFs when it needs them, so composing, drawing and delivering
    overlap. `expected` (the batch's size) decides the workers as worker_count() does; with one, each chunk
    is drawn in this process when submitted. A context manager: the processes stop on exit."""

    def __init__(
        self, folder: str | Path | None = None, workers: int | None = None, expected: int = 0
    ) -> None:
        self.root = templates_dir(folder)
        self.count = worker_count(max(expected, 1), workers)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> RenderPool:
        if self.count > 1:
            with _main_left_alone():
                self._pool = ProcessPoolExecutor(
                    self.count, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker, initargs=(str(self.root),),
                )  # fmt: skip
                # each submit to a pool without an idle worker starts one: all start here, without __main__
                started = [self._pool.submit(_started) for _ in range(self.count)]
            for future in started:
                self.result(future)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, htmls: Sequence[str]) -> Future[list[bytes]]:
        """The PDFs of HTMLS, in order, as a future."""
        if self._pool is None:
            done: Future[list[bytes]] = Future()
            done.set_result([renderer(self.root).render(html) for html in htmls])
            return done
        return self._pool.submit(_render_chunk, list(htmls))

    @staticmethod
    def result(future: Future[T]) -> T:
        """A chunk's PDFs; a worker that died is a DunningError that says how to see the cause."""
        try:
            return future.result()
        except BrokenProcessPool as exc:
            raise DunningError(
                f"a process rendering PDFs stopped unexpectedly ({exc}); try again with workers=1 to see the cause"
            ) from exc


def render_many(
    htmls: Sequence[str], folder: str | Path | None = None, workers: int | None = None
) -> list[bytes]:
    """PDF bytes of each HTML document, in order, rendered by `workers` processes (None: one per core,
    small batches stay in this process). The processes are spawned without the caller's __main__, so they
    never run the calling script or page again."""
    documents = list(htmls)
    with RenderPool(folder, workers, len(documents)) as pool:
        size = -(-len(documents) // (pool.count * CHUNKS_PER_WORKER)) if documents else 1
        futures = [pool.submit(documents[i : i + size]) for i in range(0, len(documents), size)]
        return [pdf for future in futures for pdf in pool.result(future)]


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


def _render_chunk(htmls: list[str]) -> list[bytes]:
    if _worker is None:  # pragma: no cover - the pool's initializer always runs first
        raise DunningError("the PDF worker process was started without its renderer")
    return [_worker.render(html) for html in htmls]
