"""API tokens: made at random, kept only as a SHA-256 hash, recognised by their first letters."""

import hashlib
import secrets

PREFIX_LENGTH = 8


def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
