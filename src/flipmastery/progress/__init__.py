"""Progress: the append-only evidence history of each student on each objective."""
