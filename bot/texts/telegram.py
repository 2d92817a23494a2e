"""User-facing texts: telegram."""
