"""A bounded in-process cache of analysis answers, keyed by their sequence ETag.

An answer tagged with the audit sequence (analysis, lists, search: every read that is not
one record) is a function of the catalogue, (for estimates) today's date and the
request's path and query; the catalogue changes only by
writes, each of which moves the audit sequence (registry.api.conditional). So an answer
computed under tag T for path P is the answer for (T, P) until the tag moves: kept here,
a repeated question costs the tag lookup and no analysis. A write makes every older entry
unreachable (they age out of the LRU); nothing has to be invalidated by hand.

Only anonymous reads use it (an answer to a token may depend on who asks: the audit trail
is an admin's), so with REGISTRY_READS_REQUIRE_TOKEN it is idle. Per process (gunicorn
worker), bounded by the bytes kept, compressed (`ANSWER_CACHE_BYTES`, env
`REGISTRY_ANSWER_CACHE_MB`, default 32; 0 turns it off). The benchmark reports figures
with a cold cache and a warm one separately.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict

from flask import Flask, Response, current_app, g, request

EXTENSION = "answer_cache"
COMPRESSION_LEVEL = 1  # the fastest: the point is room, not the last byte


class AnswerCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[tuple[str, str], tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers answer concurrently

    def get(self, key: tuple[str, str]) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], body: bytes, mimetype: str) -> None:
        if len(body) > self.max_bytes // 4:  # one answer never crowds out the rest
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old[0])
            self._entries[key] = (body, mimetype)
            self.size += len(body)
            while self.size > self.max_bytes:
                _, (evicted, _) = self._entries.popitem(last=False)
                self.size -= len(evicted)

    def __len__(self) -> int:
        return len(self._entries)


def init_app(app: Flask) -> None:
    limit = int(app.config.get("ANSWER_CACHE_BYTES", 0))
    if limit > 0:
        app.extensions[EXTENSION] = AnswerCache(limit)


def _cache() -> AnswerCache | None:
    return current_app.extensions.get(EXTENSION)


def _key(tag: str) -> tuple[str, str]:
    return (tag, request.full_path)


def _usable() -> AnswerCache | None:
    """The cache, for an anonymous GET only: an answer given to a token (the audit trail
    to an admin) may depend on who asks, and the key does not say who asked."""
    cache = _cache()
    if cache is None or request.method != "GET" or g.get("principal") is not None:
        return None
    return cache


def lookup(tag: str) -> Response | None:
    """The answer already computed for this request under this tag, if kept."""
    cache = _usable()
    if cache is None:
        return None
    found = cache.get(_key(tag))
    if found is None:
        return None
    body, mimetype = found
    return current_app.response_class(zlib.decompress(body), mimetype=mimetype)


def keep(tag: str, answer: Response) -> None:
    """Keep a finished 200 answer to a GET (before a 304 replaces it)."""
    cache = _usable()
    if cache is None or answer.status_code != 200:
        return
    if answer.direct_passthrough or answer.is_streamed:
        return
    # Compressed (JSON shrinks about tenfold at level 1): a worker's 32 MB then hold the
    # full gap answers of some thousand organisations, not of two hundred; inflating one
    # costs well under a millisecond, computing it tens.
    body = zlib.compress(answer.get_data(), COMPRESSION_LEVEL)
    cache.put(_key(tag), body, answer.mimetype or "application/json")
