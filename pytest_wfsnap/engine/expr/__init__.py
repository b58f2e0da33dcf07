"""expr package."""
