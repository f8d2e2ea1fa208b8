"""Sections: one class of students taking a course with its teachers."""
