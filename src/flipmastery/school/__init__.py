"""What a school admin does in the app: people (teachers and school admins), who teaches which course and
section, and every section of the school. Not a Django app: it has no tables of its own."""
