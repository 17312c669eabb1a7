"""Outputs: feeds, open data, search index and documents, narratives — uses views and everything below."""
