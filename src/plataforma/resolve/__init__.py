"""resolve package."""
