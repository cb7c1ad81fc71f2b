"""Validation of the exports: every check in one catalogue, the Great Expectations suites generated from it, the
failures translated into Dutch problems, rows in quarantine or used, and the validation report."""

from monitor_aoj.ingest.validation.stage import validate

__all__ = ["validate"]
