"""回音 (huiyin): CPPCC consultation records published as a checkable static site.

``huiyin.core`` knows nothing of MkDocs: it loads and validates records and
computes statuses, figures, feeds and open data. ``huiyin.plugin`` adapts it to
MkDocs; ``huiyin.cli`` gives staff a command line.
"""

__version__ = "0.1.0"
