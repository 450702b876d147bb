"""Models of Safety promotion projects."""
