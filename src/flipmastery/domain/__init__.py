"""The rules of a Flipped Mastery classroom, in plain Python: no Django, no I/O, no clock."""
