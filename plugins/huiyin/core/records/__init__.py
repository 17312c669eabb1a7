"""Records: the contract's vocabularies and record types, and reading files into them — uses base."""
