"""Exit slips: a 1–3 question end-of-period check whose answers suggest tomorrow's small groups."""
