"""Unit tests: one part of safesocial at a time."""
