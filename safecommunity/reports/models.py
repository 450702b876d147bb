"""Models of Monthly progress reports."""
