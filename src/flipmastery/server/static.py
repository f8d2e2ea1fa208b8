"""Static files named by their content's hash, so browsers keep them for a year (whitenoise marks them
immutable), with gzip copies made once by collectstatic."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's manifest storage, strict once collectstatic has run (`serve` and `demo` always run it).

    Before the first collectstatic there is no manifest at all (the tests, `flipmastery runserver`): then
    pages link the plain names, which whitenoise serves from the app folders, instead of failing on every
    `{% static %}`.
    """

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return str(super().stored_name(name))
