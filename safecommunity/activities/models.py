"""Models of Training, publicity and emergency."""
