"""Errors whose message is meant for the user: Dutch, saying where and what, and what to do. And `invariant`, for
a value the program's own rules guarantee: its absence is a bug, not the user's to mend."""

from __future__ import annotations

import errno
from typing import TypeVar

_T = TypeVar("_T")


def invariant(value: _T | None, broken: str) -> _T:
    """`value`, which the program's own rules say is there (a closed item's scale, a shown cell's figure); a None is
    a bug, raised as ValueError(broken), in English like any other bug."""
    if value is None:
        raise ValueError(broken)
    return value


class MonitorError(Exception):
    """Base class: the CLI prints the message and exits with `exit_code`."""

    exit_code = 1


class ConfigError(MonitorError):
    """A questionnaire or region configuration file is wrong."""

    exit_code = 2


class ReadError(MonitorError):
    """An export file cannot be read at all (missing, empty, wrong encoding, wrong shape)."""

    exit_code = 4  # a blocking problem in the data, like rows in quarantine


# The operating system's reason for a failed write, in Dutch (its own text is English).
_OS_REASONS = {
    errno.EEXIST: "er staat een bestand met die naam waar een map moet komen",
    errno.ENOTDIR: "er staat een bestand met die naam waar een map moet komen",
    errno.ENOSPC: "de schijf is vol",
    errno.EACCES: "geen toestemming om daar te schrijven",
    errno.EPERM: "geen toestemming om daar te schrijven",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENOENT: "de map bestaat niet (meer)",
    errno.EISDIR: "er staat een map met die naam waar een bestand moet komen",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Dutch; the system's own words for a reason not known here."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    return exc.strerror or str(exc)
