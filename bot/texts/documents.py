"""User-facing texts: documents."""
