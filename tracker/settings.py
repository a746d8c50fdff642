"""Tracker configuration read from the environment ([config-env], docs/CONTRACT.md), validated up front."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

_REQUIRED = ("SSI_CONSUMER_ID", "SSI_CONSUMER_SECRET", "SSI_BASE_URL", "SSI_STREAM_URL")
_TRUE = {"1", "true", "yes", "on"}


class SettingsError(ValueError):
    """A missing or invalid environment variable; the message is one line, fit for stderr."""


@dataclass(frozen=True)
class Settings:
    consumer_id: str
    consumer_secret: str
    base_url: str
    stream_url: str
    ws_auth_token: str = ""
    ws_max_connections_per_ip: int = 5
    ws_throttle_interval_ms: int = 500
    ws_queue_size: int = 50
    ws_heartbeat_interval: float = 30.0
    extra_symbols: tuple[str, ...] = ()
    futures_override: str = ""
    log_level: str = "INFO"
    test_control: bool = False
    # Not read from the environment: the reconnect backoff of [outage-backoff], tunable in tests.
    reconnect_initial_s: float = 2.0
    reconnect_max_s: float = 60.0
    channels: str = "X:ALL,R:ALL,MI:ALL,B:ALL"

    @property
    def throttle_interval_s(self) -> float:
        return self.ws_throttle_interval_ms / 1000.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `env` (default `os.environ`); raise SettingsError on bad input."""
        env = os.environ if env is None else env
        missing = [name for name in _REQUIRED if not env.get(name, "").strip()]
        if missing:
            raise SettingsError(
                f"{', '.join(missing)} not set: export the SSI FastConnect credentials and URLs "
                "(SSI_CONSUMER_ID, SSI_CONSUMER_SECRET, SSI_BASE_URL, SSI_STREAM_URL)"
            )
        return cls(
            consumer_id=env["SSI_CONSUMER_ID"].strip(),
            consumer_secret=env["SSI_CONSUMER_SECRET"].strip(),
            base_url=_url(env, "SSI_BASE_URL"),
            stream_url=_url(env, "SSI_STREAM_URL"),
            ws_auth_token=env.get("WS_AUTH_TOKEN", "").strip(),
            ws_max_connections_per_ip=_int(env, "WS_MAX_CONNECTIONS_PER_IP", 5, minimum=1),
            ws_throttle_interval_ms=_int(env, "WS_THROTTLE_INTERVAL_MS", 500, minimum=0),
            ws_queue_size=_int(env, "WS_QUEUE_SIZE", 50, minimum=1),
            ws_heartbeat_interval=_seconds(env, "WS_HEARTBEAT_INTERVAL", 30.0),
            extra_symbols=_symbols(env.get("EXTRA_SYMBOLS", "")),
            futures_override=env.get("FUTURES_OVERRIDE", "").strip().upper(),
            log_level=_log_level(env.get("LOG_LEVEL", "INFO")),
            test_control=env.get("TRACKER_TEST_CONTROL", "").strip().lower() in _TRUE,
        )


def _url(env: Mapping[str, str], name: str) -> str:
    value = env[name].strip()
    if not value.startswith(("http://", "https://")):
        raise SettingsError(f"{name}={value!r} is not an http(s) URL: set it to e.g. http://host:port/")
    return value if value.endswith("/") else value + "/"


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise SettingsError(f"{name}={raw!r} is not an integer >= {minimum}: fix it or unset it (default {default})")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise SettingsError(f"{name}={raw!r} is not a positive number of seconds: fix it or unset it (default {default:g})")
    return value


def _symbols(raw: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in raw.split(","):
        symbol = part.strip().upper()
        if symbol:
            seen.setdefault(symbol, None)
    return tuple(seen)


def _log_level(raw: str) -> str:
    level = raw.strip().upper() or "INFO"
    if level not in {"CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"}:
        raise SettingsError(f"LOG_LEVEL={raw!r} is not a log level: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level
