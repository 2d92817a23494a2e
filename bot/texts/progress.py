"""User-facing texts: progress."""
