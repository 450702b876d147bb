"""Models of Risks and hazards."""
