"""Site: every URL of the public site, the page plan and the one pager — uses model, records and base."""
