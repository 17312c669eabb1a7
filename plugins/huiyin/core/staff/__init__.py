"""Staff tools: new records, appended updates, checks — uses records and model (never views or outputs)."""
