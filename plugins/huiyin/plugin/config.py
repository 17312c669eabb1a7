from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..core.site.filings import FilingError, checked


class PositiveInt(c.Type):
    """An integer of at least 1: a feed of 0 items or a page of 0 rows is a typo."""

    def __init__(self, default: int):
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if number < 1:
            raise c.ValidationError(f"应为不小于 1 的整数（must be at least 1），现为 {number}")
        return number


class Filing(c.Type):
    """A filing number for the footer, checked for format by the core (core/site/filings.py)."""

    def __init__(self, option: str):
        super().__init__(str, default="")
        self.option = option

    def run_validation(self, value: object) -> str:
        try:
            return checked(self.option, super().run_validation(value))
        except FilingError as error:
            raise c.ValidationError(str(error)) from None


class HuiyinConfig(Config):
    enabled = c.Type(bool, default=True)
    # Show drafts and embargoed sessions, marked 草稿, under `mkdocs serve` only.
    drafts_on_serve = c.Type(bool, default=True)
    # Items per RSS feed, newest first.
    feed_length = PositiveInt(default=50)
    # Licence line shown with the open data files.
    data_license = c.Type(str, default="")
    # Outcomes per page of the feedback list (no page may grow past ~1 MB).
    feedback_page_size = PositiveInt(default=200)
    # Show each session's revisions and when each update was first published, from git.
    history = c.Type(bool, default=True)
    # Build the Pagefind site search index (pagefind/) beside the pages.
    search = c.Type(bool, default=True)
    # Footer of a site served in mainland China: ICP 备案号, 公网安备 number, 网站标识码; each shown when set.
    icp_filing = Filing("icp_filing")
    public_security_filing = Filing("public_security_filing")
    government_site_code = Filing("government_site_code")
