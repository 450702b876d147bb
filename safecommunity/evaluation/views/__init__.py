"""The evaluation pages, by concern: schemes (and the rules, the expert pool), applications,
scoring, designations (with funds and rewards); common holds what they share."""
