"""Exceptions rangemap raises for problems a user can fix."""

from __future__ import annotations


class RangemapError(Exception):
    """Base class: a problem with the user's input or data, with a message that says what to do."""


class InputError(RangemapError):
    """Input that cannot be read: not text, not UTF-8, malformed, hostile or too large."""


class NotFoundError(RangemapError):
    """A named place, weapon, area or snapshot that rangemap does not know."""


class OfflineError(RangemapError):
    """An optional online feature was asked for but the network is not reachable."""
