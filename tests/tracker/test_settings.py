"""Settings come from the environment of [config-env] (docs/CONTRACT.md); errors are one line naming the variable."""

from __future__ import annotations

import pytest

from tracker.settings import Settings, SettingsError

REQUIRED = {"SSI_CONSUMER_ID": "id", "SSI_CONSUMER_SECRET": "secret",
            "SSI_BASE_URL": "http://127.0.0.1:1234", "SSI_STREAM_URL": "http://127.0.0.1:1234/"}


def test_defaults() -> None:
    s = Settings.from_env(REQUIRED)
    assert (s.ws_max_connections_per_ip, s.ws_throttle_interval_ms, s.ws_queue_size) == (5, 500, 50)
    assert s.ws_heartbeat_interval == 30.0
    assert s.ws_auth_token == "" and s.extra_symbols == () and s.test_control is False
    assert s.base_url == "http://127.0.0.1:1234/" and s.stream_url == "http://127.0.0.1:1234/"
    assert (s.reconnect_initial_s, s.reconnect_max_s) == (2.0, 60.0)


def test_every_variable_is_read() -> None:
    s = Settings.from_env({**REQUIRED, "WS_AUTH_TOKEN": "t0k", "WS_MAX_CONNECTIONS_PER_IP": "2",
                           "WS_THROTTLE_INTERVAL_MS": "0", "WS_QUEUE_SIZE": "3", "WS_HEARTBEAT_INTERVAL": "0.5",
                           "EXTRA_SYMBOLS": " fpt, hpg,,FPT ", "FUTURES_OVERRIDE": "vn30f2512",
                           "LOG_LEVEL": "debug", "TRACKER_TEST_CONTROL": "1"})
    assert s.ws_auth_token == "t0k" and s.ws_max_connections_per_ip == 2
    assert s.ws_throttle_interval_ms == 0 and s.throttle_interval_s == 0.0
    assert s.ws_queue_size == 3 and s.ws_heartbeat_interval == 0.5
    assert s.extra_symbols == ("FPT", "HPG") and s.futures_override == "VN30F2512"
    assert s.log_level == "DEBUG" and s.test_control is True


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_missing_required_variable_is_named(name: str) -> None:
    env = {k: v for k, v in REQUIRED.items() if k != name}
    with pytest.raises(SettingsError) as info:
        Settings.from_env(env)
    message = str(info.value)
    assert name in message and "\n" not in message and "export" in message


@pytest.mark.parametrize(("name", "value"), [
    ("WS_QUEUE_SIZE", "abc"), ("WS_QUEUE_SIZE", "0"), ("WS_MAX_CONNECTIONS_PER_IP", "-1"),
    ("WS_THROTTLE_INTERVAL_MS", "1.5"), ("WS_HEARTBEAT_INTERVAL", "0"), ("WS_HEARTBEAT_INTERVAL", "nan"),
    ("SSI_BASE_URL", "127.0.0.1:80"), ("LOG_LEVEL", "loud"),
])
def test_bad_value_is_named_with_what_to_do(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({**REQUIRED, name: value})
    message = str(info.value)
    assert name in message and repr(value) in message and "\n" not in message


def test_test_control_is_off_unless_enabled() -> None:
    assert Settings.from_env({**REQUIRED, "TRACKER_TEST_CONTROL": "0"}).test_control is False
