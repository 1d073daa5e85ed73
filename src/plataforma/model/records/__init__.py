"""records package."""
