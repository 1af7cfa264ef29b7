"""HTML to PDF: the only module that imports WeasyPrint.

Documents are rendered from user-editable templates, so the renderer may load nothing but the project's own
assets: file: URLs inside the templates folder and inline data: URLs. Everything else (http, https, ftp, any
other local file, a file: URL on another host, a path that climbs out with ..) is refused and never fetched;
WeasyPrint then renders the document without that resource.

Speed. A PdfRenderer keeps, for one templates folder, what every document shares: one font configuration
(the shipped fonts are decoded and registered once, and Pango's font caches stay warm), each linked stylesheet
parsed once (applied with the "user" origin, so a <style> in the template still wins; the link itself is
answered with an empty body), the bytes of the assets and the decoded images. A document the shipped templates
wrote is read by the XML parser, not the HTML5 one (xhtml.py), and drawn in a frame with room on CPython's
frame stack (with_stack_room). drawing.py spreads batches
over the cores, each process with one renderer. benchmarks/bench_documents.py measures both against the
straightforward way (one HTML(string=...).write_pdf() per document).
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import cssselect2
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from dunning.documents.templating import templates_dir
from dunning.documents.xhtml import well_formed_tree
from dunning.errors import DunningError

log = logging.getLogger(__name__)
T = TypeVar("T")
IMAGE_CACHE_LIMIT = 256  # decoded images kept between documents (logos; each letter's QR code is new)
STYLESHEET_MEDIA = ("", "all", "print")
STACK_ROOM = 1 << 15  # value stack slots (8 bytes) of with_stack_room's frame: 256 KiB, room for 2,500 frames


# The user-agent stylesheet of rendered documents: WeasyPrint's own without the rules for forms, dir= and
# hidden= attributes and footnotes, which every element of every document was matched against for nothing.
DOCUMENT_UA_STYLESHEET = CSS(string=files("dunning.documents").joinpath("ua.css").read_text(encoding="utf-8"))


class DocumentHTML(HTML):
    """An HTML document styled with DOCUMENT_UA_STYLESHEET instead of WeasyPrint's full HTML5 one."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [DOCUMENT_UA_STYLESHEET]

    @classmethod
    def read(cls, html: str, base_url: str, url_fetcher: URLFetcher) -> DocumentHTML:
        """The document, its tree built by the XML parser where xhtml.well_formed_tree() finds that an HTML5
        parser would build the same (the shipped templates' documents), else by WeasyPrint's HTML5 parser."""
        root = well_formed_tree(html) if isinstance(html, str) else None
        if root is None:
            return cls(string=html, base_url=base_url, url_fetcher=url_fetcher)
        document = cls.__new__(cls)  # what HTML.__init__ (WeasyPrint 70) sets after parsing; no <base> here
        document.base_url = base_url
        document.url_fetcher = url_fetcher
        document.media_type = "print"
        document.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        document.etree_element = document.wrapper_element.etree_element
        return document


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
            pdf = with_stack_room(self._render, html)
        if not pdf:  # pragma: no cover - write_pdf without a target always returns bytes
            raise DunningError("WeasyPrint returned no PDF; check the document's HTML")
        return bytes(pdf)

    def _render(self, html: str) -> bytes | None:
        document = DocumentHTML.read(html, self.base_url, self.fetcher)
        sheets = [self._stylesheet(path) for path in self._linked_stylesheets(document)]
        if len(self._images) > IMAGE_CACHE_LIMIT:
            self._images.clear()
        return document.write_pdf(
            font_config=self.font_config,
            counter_style=self.counter_style,
            stylesheets=sheets,
            cache=self._images,
        )

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


def with_stack_room(function: Callable[..., T], *args: Any) -> T:
    """function(*args), called from a frame larger than CPython's frame stack chunks.

    CPython keeps Python frames in chunks of 16 KiB, maps a new chunk when a call does not fit in the current
    one and unmaps it as soon as that call returns. WeasyPrint's layout recurses deeply and calls in loops; where
    a loop's calls straddle a chunk's end, every call maps and unmaps a chunk (hundreds of system calls and
    page faults per letter, up to a tenth of its drawing time, depending only on how deep the caller was).
    This frame declares a value stack of STACK_ROOM slots that it never uses, so CPython gives it a chunk of its
    own of twice that size, and WeasyPrint's frames after it fit in the other half (benchmarks/bench_documents.py).
    A frame object of this function kept after it returns (in a traceback) holds a copy of the whole frame."""
    return function(*args)


with_stack_room.__code__ = with_stack_room.__code__.replace(co_stacksize=STACK_ROOM)

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
