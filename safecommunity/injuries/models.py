"""Models of Injury surveillance."""
