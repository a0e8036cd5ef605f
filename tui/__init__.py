"""margin: a terminal reader for a corpus of articles."""

__version__ = "0.1.0"
