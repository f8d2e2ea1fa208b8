"""Courses, their units and objectives, and the ways to learn each objective."""
