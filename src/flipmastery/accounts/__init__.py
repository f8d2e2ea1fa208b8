"""People: teachers, students and school admins, and their API tokens."""
