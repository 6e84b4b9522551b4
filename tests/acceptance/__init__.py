"""Acceptance tests: the examples and their golden output, whole commands, every format."""
