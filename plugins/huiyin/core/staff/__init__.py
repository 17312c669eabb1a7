"""Staff tools: new records, appended updates, answer sheets, checks — uses any layer below."""
