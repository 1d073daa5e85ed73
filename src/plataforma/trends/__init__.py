"""trends package."""
