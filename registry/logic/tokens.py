"""API tokens: created by the CLI, shown once, stored as SHA-256 hashes, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.errors import Conflict, Invalid, NotFound
from registry.logic import audit
from registry.models import ApiToken, Organisation
from registry.models.base import utcnow

PREFIX = "efa_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create(
    session: Session, *, role: str, name: str, organisation: Organisation | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and cannot be shown again."""
    if role == "editor" and organisation is None:
        raise Invalid({"org": ["An editor token is bound to an organisation."]})
    if role == "admin" and organisation is not None:
        raise Invalid({"org": ["An admin token is not bound to an organisation."]})
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise Conflict(f"A token named '{name}' exists already.", {"name": ["taken"]})
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, role=role, organisation=organisation, token_hash=hash_token(raw))
    session.add(token)
    session.flush()
    audit.record(session, "create", "api_token", name, None, describe(token))
    return token, raw


def authenticate(session: Session, raw: str) -> ApiToken | None:
    """The live token with this secret, else None.

    The lookup goes by the secret's hash, so timing reveals nothing about the secret;
    the final comparison is constant-time all the same.
    """
    digest = hash_token(raw)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    return None if token.revoked_at is not None else token


def revoke(session: Session, name: str) -> ApiToken:
    token = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise NotFound("token", name)
    if token.revoked_at is None:
        before = describe(token)
        token.revoked_at = utcnow()
        session.flush()
        audit.record(session, "update", "api_token", name, before, describe(token))
    return token


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.name)))


def describe(token: ApiToken) -> dict[str, str | None]:
    return {
        "name": token.name,
        "role": token.role,
        "organisation": token.organisation.key if token.organisation else None,
        "created_at": token.created_at.isoformat() if token.created_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }
