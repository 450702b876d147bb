"""Models of Compliance scorecard."""
