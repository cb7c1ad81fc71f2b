"""Errors whose message is meant for the user: Dutch, saying where and what, and what to do."""

from __future__ import annotations


class MonitorError(Exception):
    """Base class: the CLI prints the message and exits with `exit_code`."""

    exit_code = 1


class ConfigError(MonitorError):
    """A questionnaire or region configuration file is wrong."""

    exit_code = 2


class ReadError(MonitorError):
    """An export file cannot be read at all (missing, empty, wrong encoding, wrong shape)."""

    exit_code = 4  # a blocking problem in the data, like rows in quarantine
