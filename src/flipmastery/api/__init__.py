"""The HTTP API under /api/v1 (django-ninja): thin adapters, one function per operation."""
