"""Reading rendered PDFs back in tests: their text with pypdf, a page as an image with poppler's pdftoppm, and
a QR code on that page decoded with zbarimg (Debian's zbar-tools). Skips where a binary is missing, unless
DUNNING_REQUIRE_BROWSER=1 (CI) turns the skip into a failure."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader


def text_of(pdf: bytes) -> str:
    """Every page's text, pages separated by a form feed, spaces of every width as plain spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "\f".join(page.extract_text() or "" for page in reader.pages)
    return text.replace("\u202f", " ").replace("\xa0", " ")


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def require(binary: str, package: str) -> str:
    found = shutil.which(binary)
    if found:
        return found
    message = f"{binary} is not installed (apt-get install -y {package})"
    if os.environ.get("DUNNING_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and DUNNING_REQUIRE_BROWSER=1 requires the check to run")
    pytest.skip(message)


def page_png(pdf: bytes, tmp_path: Path, page: int = 1, dpi: int = 200) -> Path:
    """One page (1-based; -1 for the last) as a PNG."""
    pdftoppm = require("pdftoppm", "poppler-utils")
    number = pages_of(pdf) if page == -1 else page
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", str(dpi), "-f", str(number), "-l", str(number), "-png", "-singlefile", str(source),
         str(tmp_path / "page")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return tmp_path / "page.png"


# the Swiss cross of a QR-bill's code on an A4 page whose foot is the slip (210 x 105 mm): the code is 46 mm
# square, 67 mm from the left and 17.2 mm below the slip's top; its centre holds the 7 mm cross
QR_BILL_CROSS_MM = (67 + 23, 297 - 105 + 17.2 + 23, 2.9)


def decode_qr(
    pdf: bytes, tmp_path: Path, page: int = 1, cover_mm: tuple[float, float, float] | None = None
) -> str:
    """The content of the one QR code on a page of the PDF. cover_mm (x, y, half side): a square filled black
    first; zbar's decoder gives up on the Swiss cross's white plus in a QR-bill's code (banking apps read it)."""
    zbarimg = require("zbarimg", "zbar-tools")
    dpi = 200
    png = page_png(pdf, tmp_path, page, dpi)
    if cover_mm is not None:
        from PIL import Image, ImageDraw  # WeasyPrint's dependency

        image = Image.open(png).convert("L")
        x, y, half = (v * dpi / 25.4 for v in cover_mm)
        ImageDraw.Draw(image).rectangle([x - half, y - half, x + half, y + half], fill=0)
        image.save(png)
    done = subprocess.run([zbarimg, "--raw", "-q", "-Sbinary", str(png)], capture_output=True, timeout=120)
    assert done.returncode == 0, f"no QR code found on page {page}: {done.stderr.decode(errors='replace')}"
    return done.stdout.decode("utf-8").removesuffix("\n")
