"""Teacher-written text (Markdown, LaTeX, HTML) made into safe HTML on the server."""
