"""A small bounded LRU memo keyed by content digests, for values computed from large inputs.

``functools.lru_cache`` keys on its arguments, so a cache of values computed from a
geometry or a frame would keep the input alive and hash or compare it on every call. A
:class:`Memo` instead keys on a short digest of the input's content (:func:`digest`), made
by the caller from exactly what the value depends on, and computes the value on a miss.
Values are shared between callers: they must be immutable, or copied on the way out.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

__all__ = ["Memo", "clear_all", "digest"]

V = TypeVar("V")

_ALL: weakref.WeakSet[Memo[Any]] = weakref.WeakSet()


def digest(*parts: bytes | str) -> bytes:
    """Return a 128-bit BLAKE2b digest of byte strings (str encoded as UTF-8), length-prefixed.

    Each part's length goes into the digest too, so ``("ab", "c")`` and ``("a", "bc")`` differ.
    """
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


class Memo(Generic[V]):
    """A thread-safe LRU map of at most ``maxsize`` values, each computed once per key.

    Two threads that miss the same key at once may both compute it; the first value stored
    is kept and returned to both (the computations are pure, so they are equal).
    """

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, got {maxsize}")
        self.maxsize = maxsize
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        _ALL.add(self)

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """Return the value of ``key``, computing and storing it with ``compute()`` if absent."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            value = self._values.setdefault(key, value)
            self._values.move_to_end(key)
            while len(self._values) > self.maxsize:
                self._values.popitem(last=False)
        return value

    def __contains__(self, key: Hashable) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()


def clear_all() -> None:
    """Forget the values of every :class:`Memo` (the next call computes them afresh)."""
    for memo in list(_ALL):
        memo.clear()
