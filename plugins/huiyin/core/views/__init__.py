"""Views: what each page shows, as objects for its template — uses site, model, records and base."""
