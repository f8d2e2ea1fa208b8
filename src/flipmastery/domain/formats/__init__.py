"""Readers and writers of the files teachers bring: course packages and question banks."""
