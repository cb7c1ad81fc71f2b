"""Collecting the mistakes in regios.yaml, so that a coordinator learns of all of them in one run.

Each part of the file (a setting, a region, a wave) is checked on its own; a mistake is kept with its place and
the reading goes on. Only a mistake that leaves the rest unreadable (broken YAML, no list of regions) stops there.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from monitor_aoj.dutch import number_word
from monitor_aoj.errors import ConfigError

T = TypeVar("T")
F = TypeVar("F")
# Where a mistake is: the positions, from the top of the file down, of the key in its mapping and of the entry in
# its list. Messages are sorted on it, so they come in the order of the file whatever order the checks run in.
Place = tuple[int, ...]


class ConfigProblems(ConfigError):
    """Every independent mistake found, each with its place; one mistake reads as its own message."""

    def __init__(self, found: list[tuple[Place, str]]) -> None:
        self.found = tuple(found)
        n = len(found)
        super().__init__(found[0][1] if n == 1 else f"{n} fouten gevonden; verbeter ze alle {number_word(n)} en "
                         "draai de opdracht opnieuw:" + "".join(f"\n  - {message}" for _, message in found))

    @property
    def problems(self) -> tuple[str, ...]:
        """The messages, one per mistake, in the order of the file."""
        return tuple(message for _, message in self.found)


def at(raw: Any, *keys: Any) -> Place:
    """The place in a mapping (YAML keeps the file's order) of the first of `keys` in it; after all its keys when
    none is there."""
    listed = list(raw) if isinstance(raw, dict) else []
    return (next((i for i, key in enumerate(listed) if key in keys), len(listed)),)


class Problems:
    """The mistakes found so far in one part of a file, each with its place within that part."""

    def __init__(self) -> None:
        self.found: list[tuple[Place, str]] = []

    def add(self, place: Place, message: str) -> None:
        """Keep a mistake found by a check written in place."""
        self.found.append((place, message))

    def check(self, place: Place, read: Callable[[], T], fallback: F) -> T | F:
        """What `read()` returns; when it raises a ConfigError, `fallback`, with its mistake (or the mistakes of a
        part read with its own Problems, below `place`) kept."""
        try:
            return read()
        except ConfigProblems as exc:
            self.found += [(place + inner, message) for inner, message in exc.found]
        except ConfigError as exc:
            self.add(place, str(exc))
        return fallback

    def stop(self) -> None:
        """Raise ConfigProblems with everything found, in the order of the file; nothing found: go on."""
        if self.found:
            # A stable sort: mistakes at one place keep the order in which they were found. A message said before
            # (one summary file of a wave listed twice) says nothing new.
            ordered = sorted(self.found, key=lambda f: f[0])
            messages = [message for _, message in ordered]
            raise ConfigProblems([f for i, f in enumerate(ordered) if f[1] not in messages[:i]])
