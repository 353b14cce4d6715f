"""Public pages, split by page area: pages (one record each), lists (timeline, who said
what), search."""
