"""The outputs that are not pages: the search index, the feeds, the open data, the pages' QR codes and
the share images.

They depend only on the corpus, which is complete before a generator renders
its first page, so a generator can write them beside the pages on another
core (the MkDocs plugin does, in a forked child: plugin/background.py and
docs/performance.md). One after another, not side by side: Pagefind, in a
process of its own, would otherwise take a core from the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model.corpus import Corpus
from ..site.pages import SiteInfo
from .feeds import feed_files
from .narrative import Narratives
from .opendata import open_data_files
from .qr import qr_files
from .search import (
    SearchIndex,
    SearchIndexError,
    pagefind_executable,
    write_search_index,
)
from .search_documents import search_documents
from .share_images import share_image_files


def side_outputs(corpus: Corpus, site: SiteInfo, narratives: Narratives) -> dict[str, bytes]:
    """The feeds, the open data, the QR codes of the printable pages (qr.py) and the share images, by site path."""
    return {
        **feed_files(corpus, site, narratives),
        **open_data_files(corpus, site),
        **qr_files(corpus, site),
        **share_image_files(corpus),
    }


def write_files(site_dir: Path, outputs: dict[str, bytes]) -> None:
    for path, data in sorted(outputs.items()):
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def check_side_outputs(*, search: bool) -> None:
    """Before anything is started: SearchIndexError, in plain words, when Pagefind is missing."""
    if search:
        pagefind_executable()


def write_side_outputs(
    site_dir: Path,
    corpus: Corpus,
    site: SiteInfo,
    *,
    search: bool,
    indexed: Callable[[SearchIndex], None] = lambda index: None,
) -> str:
    """Write the search index (when ``search``), then the feeds, the open data, the QR codes and the share
    images, into ``site_dir``.

    Returns "" when all went well, or a message for staff saying what failed
    and what to do. ``indexed`` hears of the index as soon as it is written.
    """
    narratives = Narratives()  # each body converted once, for the index and the feeds
    if search:
        try:
            index = write_search_index(site_dir, search_documents(corpus, narratives))
        except SearchIndexError as error:
            return str(error)
        indexed(index)
    write_files(site_dir, side_outputs(corpus, site, narratives))
    return ""
