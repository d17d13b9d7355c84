"""Recognise a solution by where it runs: URLs against the solutions' URL patterns.

A pattern is a host (`*.` for any subdomain) and an optional path prefix, lowercase,
without scheme and without `www.` (`elterngeld-digital.de/ams`). A URL matches when its
host is the pattern's (or a subdomain, for `*.`) and its path starts with the pattern's
path at a segment boundary. The most specific pattern wins; two solutions with equally
specific matches are ambiguous, and then none is chosen: builders are never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit


def normalised(url: str) -> tuple[str, str]:
    """(host, path): lowercase, no scheme, port, `www.`, query, fragment or trailing slash."""
    parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    return host, parts.path.lower().rstrip("/")


def key(url: str) -> str:
    """One address per online service: host and path (a query names a session, not a service)."""
    host, path = normalised(url)
    return host + path


@dataclass(frozen=True)
class Pattern:
    solution_id: int
    host: str
    wildcard: bool
    path: str

    @classmethod
    def parse(cls, solution_id: int, text: str) -> Pattern:
        wildcard = text.startswith("*.")
        host, path = normalised(text.removeprefix("*."))
        return cls(solution_id, host, wildcard, path)

    def matches(self, host: str, path: str) -> bool:
        if host != self.host and not (self.wildcard and host.endswith("." + self.host)):
            return False
        return path == self.path or path.startswith(self.path + "/") or not self.path

    @property
    def specificity(self) -> tuple[int, int]:
        return (len(self.path), 0 if self.wildcard else 1)


class Matcher:
    """All patterns of all solutions, asked once per distinct URL."""

    def __init__(self, patterns: Iterable[tuple[int, str]]) -> None:
        self.patterns = [Pattern.parse(solution_id, text) for solution_id, text in patterns]

    def solution_for(self, url: str) -> tuple[int | None, str | None]:
        """(solution id, None), or (None, why not) when nothing or more than one fits."""
        host, path = normalised(url)
        found = [p for p in self.patterns if p.matches(host, path)]
        if not found:
            return None, "no solution's URL pattern matches"
        best = max(p.specificity for p in found)
        winners = {p.solution_id for p in found if p.specificity == best}
        if len(winners) > 1:
            return None, "URL patterns of several solutions match equally"
        return winners.pop(), None
