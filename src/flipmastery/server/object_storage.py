"""Uploads in an S3-compatible bucket (django-storages, the `s3` extra), reached only through this server.

Pages link a stored file as /media/<name>, as on a folder, so every look at it passes the view that checks
who may see it (web/views.media and the studio's and notes' views); that view then sends the browser to a
signed link to the private bucket (server/media.py). The bucket's own URL is never written into a page,
where it would keep working for anyone it was passed to.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class BucketStorage(S3Storage):  # type: ignore[misc]
    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        return f"{settings.MEDIA_URL}{filepath_to_uri(name or '')}"

    def signed_url(self, name: str) -> str:
        """A link to the file in the bucket that works for S3_LINK_SECONDS (server/stores.py)."""
        return str(super().url(name))
