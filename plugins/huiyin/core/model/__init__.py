"""Model: the corpus of loaded records and what follows from it (figures, history, preview) — uses records and base."""
