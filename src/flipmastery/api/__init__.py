"""The HTTP API under /api/v1: thin django-ninja adapters over selectors and services (see urls.py)."""
