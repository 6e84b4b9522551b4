"""Security tests: hostile input, escaping, privacy, and never losing a user's data."""
