from __future__ import annotations

from pathlib import Path

import pytest
from sitebuilder import SiteFolder


@pytest.fixture
def site(tmp_path: Path) -> SiteFolder:
    """A fresh site folder with departments and a small brand tree."""
    return SiteFolder(tmp_path)
