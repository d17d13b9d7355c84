"""Conditional GETs: every representation carries an ETag and `If-None-Match` gets 304.

Two kinds of tag:
- a record's (organisation, service, solution, adoption by key) names its version, the
  same tag PATCH and DELETE expect in `If-Match` (registry.uow.check_if_match);
- every other answer (lists, analysis, search, the feed) is a function of the catalogue,
  and the catalogue changes only by writes, each of which takes the next audit id in its
  transaction. So the audit sequence is its tag: read *before* the answer is computed (a
  write in between makes the tag older than the answer, never newer), and a revalidation
  with that tag is answered 304 without computing anything. Cost estimates (gaps,
  candidates, cost, budget) also depend on today's date (their default contract date),
  so their tag carries it: `"s<audit id>-<yyyymmdd>"`.
If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/"x"` matches `"x"`.
"""

from __future__ import annotations

from datetime import date

from flask import Response, g, request
from sqlalchemy import select

from registry.api import answer_cache
from registry.db import get_session
from registry.models import AuditCounter

RECORD, SEQUENCE = "record", "sequence"
LAST_AUDIT_ID = select(AuditCounter.last_id).where(AuditCounter.id == 1)
CONDITIONAL_METHODS = ("GET", "HEAD")

IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "the ETag of the answer you hold: 304 without a body while it is current",
}


def sequence_etag(dated: bool = False) -> str:
    """`dated`: the answer also depends on today (cost estimates start on today's date by
    default), so the tag changes with the day as well."""
    # Core on the session's connection: every revalidation runs this, and the ORM's
    # execution path cost more than the statement.
    last = get_session().connection().execute(LAST_AUDIT_ID).scalar()
    return f'"s{last or 0}-{date.today():%Y%m%d}"' if dated else f'"s{last or 0}"'


def matches(header: str | None, tag: str) -> bool:
    """Weak comparison of an If-None-Match header with a tag."""
    if not header:
        return False
    wanted = tag.removeprefix("W/")
    return any(
        t.strip() == "*" or t.strip().removeprefix("W/") == wanted for t in header.split(",")
    )


def not_modified(tag: str) -> Response:
    response = Response(status=304)
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = "no-cache"
    return response


def start(kind: str, dated: bool = False) -> Response | None:
    """Before a read: remember the sequence tag; answer 304 at once when it is current."""
    if kind != SEQUENCE or request.method not in CONDITIONAL_METHODS:
        return None
    g.sequence_etag = sequence_etag(dated)
    if matches(request.headers.get("If-None-Match"), g.sequence_etag):
        return not_modified(g.sequence_etag)
    return None


def finish(response: Response) -> Response:
    """After a read: the tag on the answer; a current record revalidated gets 304."""
    if request.method not in CONDITIONAL_METHODS or response.status_code != 200:
        return response
    tag = response.headers.get("ETag") or g.get("sequence_etag")
    if tag is None:
        return response
    if g.get("answer_cache_tag"):
        answer_cache.keep(g.answer_cache_tag, response)
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = "no-cache"  # keep it, but ask each time
    if matches(request.headers.get("If-None-Match"), tag):
        return not_modified(tag)
    return response
