"""flipmastery: a self-hosted Flipped Mastery classroom."""

__version__ = "0.1.0"
