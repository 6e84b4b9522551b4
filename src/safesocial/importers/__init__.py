"""Build the actual state of an account (or the school's records) from the data the
platform or the MIS exports, merged into the file a person keeps, never losing what
they typed. `run.run_import` does one import; the CLI only calls it and prints.

This module stays light (the CLI reads FORMATS when it starts); the work is in run.py.
"""

from __future__ import annotations

# Platform exports merge into accounts/NAME.yaml; the CSV formats into consent.yaml and
# pupils.yaml.
ACCOUNT_FORMATS = ("x-archive", "instagram", "tiktok", "facebook")
RECORD_FORMATS = ("consent-csv", "pupils-csv")
FORMATS = ACCOUNT_FORMATS + RECORD_FORMATS
