"""Guardian links: a private, revocable link (or short code) that shows a guardian one child's progress,
read-only and without signing in. Not a Django app: its one table, GuardianLink, lives in accounts."""
