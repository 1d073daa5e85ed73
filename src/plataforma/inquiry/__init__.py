"""inquiry package."""
