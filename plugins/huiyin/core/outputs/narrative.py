"""Record bodies (the narrative under the front matter) rendered from Markdown once.

The outputs that are not pages — the feeds' ``content:encoded`` and the site
search index — both need a record's body as HTML; they are made in the same
process, so each body is converted once for both. The pages themselves are
MkDocs' business (its Markdown, its extensions); these outputs use the small
set of extensions every reader of a feed can display.
"""

from __future__ import annotations

import markdown

from ..records.entities import Platform, Session

MARKDOWN_EXTENSIONS = ["tables", "attr_list", "admonition"]


class Narratives:
    """Each record's body as HTML, converted on first use. Not sanitised: callers do that for their readers."""

    def __init__(self) -> None:
        self._markdown = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
        self._html: dict[str, str] = {}

    def html(self, record: Session | Platform) -> str:
        key = record.source_path
        if key not in self._html:
            self._markdown.reset()
            self._html[key] = self._markdown.convert(record.body)
        return self._html[key]
