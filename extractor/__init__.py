"""extractor: audit the trade figures reported in the news."""

__version__ = "0.1.0"
