"""Models of Creation lifecycle."""
