"""Secret links sent by email (an applicant's page, a subscriber's preferences): a random token in
the link, only its SHA-256 at rest, so a leaked database holds no working link."""

import hashlib
import secrets

TOKEN_BYTES = 32  # 43 URL-safe characters: 256 bits, far beyond guessing
MAX_TOKEN_LENGTH = 100  # anything longer is not one of ours: refused before hashing


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()
