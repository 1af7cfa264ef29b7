"""HTML to PDF: the only module that imports WeasyPrint.

Documents are rendered from user-editable templates, so the renderer may load nothing but the project's own
assets: file: URLs inside the templates folder and inline data: URLs. Everything else (http, https, ftp, any
other local file, a file: URL on another host, a path that climbs out with ..) is refused and never fetched;
WeasyPrint then renders the document without that resource.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from dunning.documents.templating import templates_dir
from dunning.errors import DunningError

log = logging.getLogger(__name__)


class FetchRefused(DunningError):
    """A document asked for a resource outside the templates folder; it was not fetched."""


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
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, f"file on another host ({parts.netloc})")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root):
            raise self._refuse(url, "outside the templates folder")
        if not path.is_file():
            raise self._refuse(url, "no such file in the templates folder")
        return path

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise self._refuse(url, f"{scheme or 'relative'} URLs are not allowed")
        path = self.local_path(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})


def html_to_pdf(html: str, folder: str | Path | None = None) -> bytes:
    """PDF bytes of an HTML document; relative URLs resolve against the templates folder (or `folder`)."""
    root = templates_dir(folder)
    fetcher = TemplatesOnlyFetcher(root)
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher)
    pdf = document.write_pdf()
    if not pdf:  # pragma: no cover - write_pdf without a target always returns bytes
        raise DunningError("WeasyPrint returned no PDF; check the document's HTML")
    return bytes(pdf)
