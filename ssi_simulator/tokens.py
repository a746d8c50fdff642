"""Issues and checks the JWT access tokens that guard SSI's REST and stream endpoints."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable

DEFAULT_LIFETIME_S = 8 * 3600.0


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def expiry_of(token: str) -> int | None:
    """The `exp` claim of a JWT (seconds since the epoch), or None when it has none."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        exp = json.loads(_unb64(parts[1]))["exp"]
    except (ValueError, KeyError, TypeError):
        return None
    return exp if isinstance(exp, int) and not isinstance(exp, bool) else None


class TokenIssuer:
    """HMAC-signed JWTs; the payload segment is plain base64 with no ``+/-_`` and no padding,
    so standard, url-safe, padded and unpadded decoders (the official client) all read it."""

    def __init__(self, lifetime_s: float = DEFAULT_LIFETIME_S, clock: Callable[[], float] = time.time) -> None:
        self.lifetime_s = lifetime_s
        self._clock = clock
        self._key = secrets.token_bytes(32)
        self._header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())

    def issue(self, consumer_id: str) -> str:
        now = int(self._clock())
        nonce = uuid.uuid4().hex * 2
        encoded = ""
        for length in range(16, 64):  # the nonce's length shifts the alignment until it is clean
            claims = {
                "unique_name": consumer_id,
                "role": "MarketData",
                "jti": nonce[:length],
                "iss": "SSI.FastConnect.Simulator",
                "nbf": now,
                "iat": now,
                "exp": now + int(self.lifetime_s),
            }
            raw = json.dumps(claims, separators=(",", ":")).encode()
            encoded = base64.b64encode(raw).decode("ascii")
            if len(raw) % 3 == 0 and not any(ch in encoded for ch in "+/"):
                break
        encoded = encoded.rstrip("=")
        signing_input = f"{self._header}.{encoded}"
        sig = hmac.new(self._key, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{base64.urlsafe_b64encode(sig).decode('ascii').rstrip('=')}"

    def check(self, token: str) -> str | None:
        """None when the token is valid now, else the reason it is refused."""
        parts = token.split(".")
        if len(parts) != 3:
            return "malformed token"
        header, payload, sig = parts
        expected = hmac.new(self._key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(base64.urlsafe_b64encode(expected).decode("ascii").rstrip("="), sig):
            return "bad signature"
        exp = expiry_of(token)
        if exp is None:
            return "malformed token"
        if exp <= self._clock():
            return "token expired"
        return None

    def check_header(self, authorization: str | None) -> str | None:
        """Check an ``Authorization: Bearer <token>`` header value."""
        if not authorization:
            return "missing Authorization header"
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return "Authorization is not a Bearer token"
        return self.check(token.strip())
