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
  so their tag carries it: `"s<audit id>-<yyyymmdd>-<question>"`, where the last part is
  a digest, keyed with the registry's own key, of what precedes it, the path and query
  as sent and who asked.
If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/"x"` matches `"x"`.

Why the question is in the tag: a revalidation is answered before its arguments are
parsed and its organisation is looked up (`revalidate`, a before-request hook: parsing
cost more than the rest of a 304). RFC 9110 §13.2.1 lets a server evaluate
`If-None-Match` only when the request without it would have succeeded. A tag names one
question's successful answer at one catalogue state: if it is current, the same question
on the same catalogue succeeds again. Without the question in it, a current tag sent with
an unknown organisation or a bad argument would get 304 instead of 404 or 422; and
without the key a client could make the tag of such a question itself. `*` names no
answer, so it is judged after the answer is computed (`finish`). An anonymous
revalidation is judged earlier still, before Flask builds a request
(registry.api.revalidation).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Flask, Response, current_app, g, request

from registry.api import answer_cache
from registry.db import (
    AUDIT_SEQUENCE_SQL,
    AuditSequence,
    audit_sequence_of,
    get_db,
    get_session,
)
from registry.logic import driver
from registry.logic.permissions import Principal

RECORD, SEQUENCE = "record", "sequence"
# What every sequence-tagged answer is: the API's JSON (its streams too are not HTML).
API_MIMETYPE = "application/json"
CONDITIONAL_METHODS = ("GET", "HEAD")

IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "the ETag of the answer you hold: 304 without a body while it is current",
}


# Where the early revalidation (registry.api.revalidation) leaves the audit sequence it
# read, or the error reading it raised, when it does not answer: the request then does
# not read (or wait for the database) a second time.
SEQUENCE_KEY = "registry.audit_sequence"


def sequence_etag(dated: bool = False) -> str:
    """`dated`: the answer also depends on today (cost estimates start on today's date by
    default), so the tag changes with the day as well."""
    db = get_db()
    # Read before this request was built: older than the answer, never newer, as a tag
    # must be.
    seen: AuditSequence | Exception | None = request.environ.get(SEQUENCE_KEY)
    if isinstance(seen, Exception):
        raise seen  # answered as this request's own read would have been (registry.errors)
    if seen is None:
        if request.headers.get("If-None-Match") and "db_session" not in g and db.revalidate_on_pool:
            # A revalidation, most often answered 304 with this read alone: no session.
            seen = db.audit_sequence()
        else:
            # By its text on the session's connection, which the answer then reads on: the
            # ORM's execution path, and Core's, cost more than the statement.
            rows = driver.execute(get_session().connection(), AUDIT_SEQUENCE_SQL, {})
            seen = audit_sequence_of(rows[0] if rows else None)
    return sequence_tag(seen, dated, request.full_path, g.get("principal"))


def sequence_tag(
    seen: AuditSequence, dated: bool, full_path: str, principal: Principal | None
) -> str:
    state = f"{seen.last_id}-{date.today():%Y%m%d}" if dated else f"{seen.last_id}"
    return f'"s{state}-{question_digest(seen.tag_key, state, full_path, principal)}"'


def question_digest(key: str, state: str, full_path: str, principal: Principal | None) -> str:
    """The catalogue state (and day) the tag names, the question as sent (path and
    query) and who asked: an answer to a token may hold more than the anonymous one (the
    audit trail), and a tag must name one answer. Keyed with the registry's own key
    (audit_counter.tag_key), the state included: the sequence is in every tag and the
    question in every URL, and a client that could make a tag — or move an old one on to
    today's state — could get 304 for a question that fails (an unknown organisation, one
    deleted since, the audit trail without a token)."""
    who = f"{principal.role}:{principal.name}" if principal is not None else ""
    text = f"{state}\0{full_path}\0{who}".encode("utf-8", "surrogateescape")
    return hashlib.blake2b(text, digest_size=6, key=bytes.fromhex(key)).hexdigest()


def matches(header: str | None, tag: str, *, star: bool = True) -> bool:
    """Weak comparison of an If-None-Match header with a tag; `*` matches any current
    answer (`star`: the answer exists, it has been computed)."""
    if not header:
        return False
    wanted = tag.removeprefix("W/")
    return any(
        (star and t.strip() == "*") or t.strip().removeprefix("W/") == wanted
        for t in header.split(",")
    )


def not_modified(tag: str, mimetype: str | None) -> Response:
    """`mimetype`: the revalidated representation's. A 304 has no body and sends no
    Content-Type, but its other headers replace the cached answer's (RFC 9111 §4.3.4): its
    Content-Security-Policy must be the one that answer had (registry.api.guards)."""
    return Response(
        status=304, mimetype=mimetype or API_MIMETYPE, headers=not_modified_headers(tag)
    )


def not_modified_headers(tag: str) -> list[tuple[str, str]]:
    return [("ETag", tag), ("Cache-Control", "no-cache")]


# Set on a view by Blueprint.reads: (tag kind, dated, snapshot).
READS_MARK = "_registry_reads"


def mark(view: Callable[..., Any], kind: str, dated: bool, snapshot: bool) -> None:
    setattr(view, READS_MARK, (kind, dated, snapshot))


def reads_of(app: Flask, endpoint: str | None) -> tuple[str, bool, bool] | None:
    """What the view answering this request reads, as marked; flask-smorest's own
    decorators keep the mark (functools.wraps copies a function's attributes)."""
    view = app.view_functions.get(endpoint) if endpoint else None
    view_class = getattr(view, "view_class", None)
    if view_class is not None:  # a MethodView: its GET answers HEAD as well
        view = getattr(view_class, "get", None)
    return getattr(view, READS_MARK, None)


def revalidate() -> Response | None:
    """Before-request hook (after authentication): a sequence-tagged read remembers its
    tag, and a revalidation with the current tag is answered 304 at once, before its
    arguments are parsed: the tag names this question's successful answer."""
    if request.method not in CONDITIONAL_METHODS:
        return None
    reads = reads_of(current_app, request.endpoint)
    if reads is None or reads[0] != SEQUENCE:
        return None
    _kind, dated, snapshot = reads
    # The session the view will use: outside a transaction, or (a snapshot stream) the
    # transaction whose snapshot the tag then describes.
    g.read_only = not snapshot
    g.sequence_etag = sequence_etag(dated)
    if matches(request.headers.get("If-None-Match"), g.sequence_etag, star=False):
        return not_modified(g.sequence_etag, API_MIMETYPE)
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
        return not_modified(tag, response.mimetype)
    return response
