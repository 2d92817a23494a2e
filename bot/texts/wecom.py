"""User-facing texts: wecom."""
