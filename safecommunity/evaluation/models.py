"""Models of Evaluation and designation."""
