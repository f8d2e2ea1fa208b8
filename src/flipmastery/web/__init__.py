"""Server-rendered pages (with HTMX) for teachers and students."""
