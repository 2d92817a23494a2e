"""User-facing texts of the integrity area."""
