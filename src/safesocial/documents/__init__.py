"""Stage 1, reading documents: files, YAML, CSV and schemas, into located data."""
