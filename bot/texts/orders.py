"""User-facing texts of the orders area."""
