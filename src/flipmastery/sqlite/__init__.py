"""SQLite for one laptop serving a class: Django's backend with writers queued fairly in the process."""
