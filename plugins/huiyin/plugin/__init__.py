"""The MkDocs adapter: thin plugins around ``huiyin.core``."""
