"""Models of Dashboards."""
