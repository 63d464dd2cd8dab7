"""Watchlists: the entity gazetteer, the query language, the matcher and new-story detection."""
