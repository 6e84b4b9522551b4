"""Importer tests: platform exports, real downloads and records, into account files."""
