"""What a run is judged with: the date and the thresholds, filled in by the CLI and the
configuration. Its own module, below the model and the checks, so the cache, results and
reports can name it without importing the check kinds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Settings:
    """Thresholds and the date rules are judged on; the CLI and config fill these in."""

    as_of: date
    # None: not set in safesocial.yaml, so the policy's value is used, else the default
    # (see `in_force`; the POLICY_THRESHOLDS below are the thresholds a policy can set).
    ex_pupil_min_age: int | None = None
    policy_review_months: int = 12
    training_valid_months: int = 12
    dsl_training_valid_months: int = 24
    settings_review_days: int | None = None
    parent_notice_months: int = 12
    consent_renewal_months: int = 12
    waiver_max_days: int = 120
    strict: bool = False  # --strict: every waiver is ignored
