"""QR codes of the pages people print: every session page (the 公示) and every brand page (the venue notice).

A printed page is read on paper, where a link cannot be tapped; its QR code
takes a phone to the live page, whose answers keep changing after the paper is
pinned up. Each code is an SVG file beside its page (``sessions/<year>/<slug>/qr.svg``,
``platforms/<slug>/qr.svg``) holding the page's absolute address (``site_url``
+ the page's path); the page shows it with an ``<img>`` (≈ 250 bytes of HTML).

The symbol is made by zxing-cpp (C++ with Python bindings; its encoder is Zint's,
which picks the mask by the standard's penalty rules), ≈ 0.35 ms of a core per
code; the SVG around it is our template (templates/qr/code.svg), ≈ 2 KB; 0.9 ms a
code in all, 1.9 s of the child's CPU for the 2,076 codes at 2,000 sessions
(docs/performance.md, «QR codes of the printable pages»). The
pure-Python encoders took, per code, on this machine: segno 7.3 ms (2,076 codes
of the 2,000-session benchmark: 15 s of a core — a whole build's worth at that
size, nearly all of it scoring the eight masks), PyQRCode 52 ms, qrcode 73 ms.
Even in the forked child (side.py), which runs beside the pages on the second
core, 15 s would have become the build's critical path. zxing-cpp also reads
codes, which is how the tests check that each file holds its page's address.

The encoding is fixed (error correction M: 15% of the symbol restorable, for
paper that gets creased or scribbled on; the smallest version that fits; a quiet
zone of 4 modules as ISO/IEC 18004 asks), with no date or random part, so the
bytes are the same build after build. Under ``mkdocs serve`` the child's work
runs in-process after each rebuild, so codes are remembered by address for the
life of the process.
"""

from __future__ import annotations

import re
from functools import cache

import zxingcpp

from ..model.corpus import Corpus
from ..site.pages import SiteInfo
from ..site.paths import platform_path, qr_path, session_path
from .templates import render

ERROR_CORRECTION = "M"
QUIET_ZONE = 4  # modules of white around the symbol
_DARK_RUN = re.compile(rb"\x00+")  # zxing-cpp's image: one byte a module, 0 dark, 255 light


def qr_modules(address: str) -> list[bytes]:
    """The symbol's rows, one byte a module (0 dark), without the quiet zone."""
    symbol = zxingcpp.create_barcode(address, zxingcpp.BarcodeFormat.QRCode, ec_level=ERROR_CORRECTION)
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape[0], image.shape[1]
    pixels = bytes(memoryview(image))  # type: ignore[arg-type]  # a buffer; the stub leaves the protocol out
    return [pixels[row * width:(row + 1) * width] for row in range(height)]


def svg_path(rows: list[bytes]) -> str:
    """The dark modules as one SVG path of 1-unit strokes along each row's runs, in relative moves.

    The pen walks row by row (y + .5 is the middle of a row); ``m dx dy`` jumps to
    a run's start, ``h n`` draws it. ≈ 1.4 KB for a 33 × 33 symbol.
    """
    parts = [f"M{QUIET_ZONE} {QUIET_ZONE + 0.5}"]
    x, y = 0, 0  # the pen, in modules from the symbol's corner
    for row_index, row in enumerate(rows):
        for run in _DARK_RUN.finditer(row):
            start, length = run.start(), run.end() - run.start()
            parts.append(f"m{start - x} {row_index - y}h{length}")
            x, y = start + length, row_index
    path = "".join(parts)
    return path.replace("m0 0", "", 1)  # the first run starts at the pen (a finder pattern's corner is always dark)


@cache
def qr_svg(address: str) -> bytes:
    """The QR code of ``address`` as a standalone SVG: black on white, scalable (a viewBox, no fixed size)."""
    rows = qr_modules(address)
    size = len(rows) + 2 * QUIET_ZONE
    return render("qr/code.svg", size=size, path=svg_path(rows), address=address).encode("utf-8")


def code_pages(corpus: Corpus) -> list[str]:
    """The pages that carry a QR code: every published session's and every brand's."""
    return [*(session_path(s) for s in corpus.published_sessions), *(platform_path(p) for p in corpus.platforms.values())]


def qr_files(corpus: Corpus, site: SiteInfo) -> dict[str, bytes]:
    """Each such page's QR code, by site path (``sessions/2021/x/qr.svg``)."""
    return {qr_path(page): qr_svg(site.absolute(page)) for page in code_pages(corpus)}
