"""The only network code of rangemap: optional downloads, walled off here.

Every request has a timeout, a user agent, a rate limit and a disk cache. Everything else
works offline; network failures raise :class:`OfflineError`.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from geo._errors import InputError, OfflineError
from geo.settings import cache_dir

__all__ = [
    "CACHE_SECONDS",
    "DEEPSTATE_LATEST_URL",
    "DEEPSTATE_VERSION_URL",
    "USER_AGENT",
    "get_json",
]

#: User agent sent with every request.
USER_AGENT = "rangemap/0.1 (+offline-first)"
#: The latest DeepStateMap snapshot (features under ``map.features``).
DEEPSTATE_LATEST_URL = "https://deepstatemap.live/api/history/last"
#: A given DeepStateMap version, by its history id.
DEEPSTATE_VERSION_URL = "https://deepstatemap.live/api/history/{id}/geojson"
#: How long a cached answer is used without asking again.
CACHE_SECONDS = 3600
#: Largest answer accepted.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: Least time between two requests (politeness).
MIN_INTERVAL_SECONDS = 1.0

_last_request = 0.0
#: The opener; tests replace it (``monkeypatch.setattr(geo._http, "urlopen", fake)``).
urlopen = urllib.request.urlopen


def get_json(url: str, *, timeout: float = 10, cache_name: str) -> Any:
    """Return the JSON at ``url``, from the disk cache when fresh, else downloaded and cached.

    Parameters
    ----------
    url
        The address to fetch.
    timeout
        Seconds to wait for the server.
    cache_name
        File name (without extension) of the cached copy under ``cache_dir()/http``.

    Returns
    -------
    Any
        The parsed JSON.

    Raises
    ------
    OfflineError
        When the server cannot be reached (no network, DNS failure, timeout, HTTP error).
    InputError
        When the answer is not JSON or is too large.
    """
    if timeout <= 0:
        raise InputError(f"timeout must be positive, got {timeout}")
    path = cache_dir() / "http" / f"{cache_name}.json"
    if path.exists() and time.time() - path.stat().st_mtime < CACHE_SECONDS:
        return json.loads(path.read_text(encoding="utf-8"))
    data = _download(url, timeout=timeout)
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{url} did not answer with JSON: {exc}") from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj), encoding="utf-8")
    return obj


def _download(url: str, *, timeout: float) -> bytes:
    """Download ``url`` politely; every network failure becomes an OfflineError."""
    global _last_request
    wait = MIN_INTERVAL_SECONDS - (time.monotonic() - _last_request)
    if wait > 0:
        time.sleep(wait)
    _last_request = time.monotonic()
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(MAX_RESPONSE_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OfflineError(
            f"cannot reach {url} ({reason}); rangemap works offline with its bundled "
            "frontline snapshots (rangemap frontline --date ...)"
        ) from exc
    if len(data) > MAX_RESPONSE_BYTES:
        raise InputError(f"{url} answered with more than {MAX_RESPONSE_BYTES:,} bytes")
    return data
