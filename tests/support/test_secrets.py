"""No secret reaches disk: attachments of any size are masked before they are written, Locust gets its token
by environment, a token in a URL is URL-encoded, environment.properties holds none."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import allure_commons
import pytest
from allure_commons.logger import AllureFileLogger

from support import allure_metadata, allure_results, load_plans, locust_runner
from support.load_plans import LoadPlan
from support.targets import TargetOptions

TOKEN = "t-Secret&Token#42+/="


@pytest.fixture
def logger(tmp_path: Path) -> Any:
    allure_results.install(runner="pytest-bdd", target="wired")
    allure_results.register_secret(TOKEN)
    file_logger = AllureFileLogger(str(tmp_path / "results"))
    allure_commons.plugin_manager.register(file_logger)
    yield file_logger
    allure_commons.plugin_manager.unregister(file_logger)


def _written(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())


def test_a_large_attachment_is_masked_before_it_is_written(logger: Any, tmp_path: Path) -> None:
    body = ("x" * 1_000_000 + TOKEN) * 8  # 8 MB: no size is too large to mask
    allure_commons.plugin_manager.hook.report_attached_data(body=body, file_name="big-attachment.txt")
    written = _written(tmp_path / "results")
    assert TOKEN.encode() not in written and written.count(b"***") == 8


def test_an_attached_file_is_masked_and_its_source_left_alone(logger: Any, tmp_path: Path) -> None:
    source = tmp_path / "captured.log"
    source.write_bytes(b"\x89PNG binary " + TOKEN.encode() + b" tail")
    allure_commons.plugin_manager.hook.report_attached_file(source=str(source), file_name="captured-attachment.log")
    written = (tmp_path / "results" / "captured-attachment.log").read_bytes()
    assert written == b"\x89PNG binary *** tail"
    assert TOKEN.encode() in source.read_bytes()


def test_locust_gets_the_token_by_environment_not_on_its_command_line(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    def fake_run_locust(run: locust_runner.LoadRun, *, env: dict[str, str] | None = None) -> Any:
        seen.update(options=dict(run.options), env=dict(env or {}))
        return object()
    monkeypatch.setattr(load_plans, "run_locust", fake_run_locust)
    monkeypatch.setattr(load_plans, "attach_to_allure", lambda result: None)
    load_plans.run_plan(LoadPlan.streaming(5, 3), "http://127.0.0.1:1", None, tmp_path, ws_token=TOKEN)
    assert seen["env"] == {load_plans.TOKEN_ENV: TOKEN}
    assert not any(TOKEN in str(value) for value in seen["options"].values())


def test_a_token_option_for_locust_is_refused() -> None:
    run = locust_runner.LoadRun(locustfile="load/locustfile.py", host="http://127.0.0.1:1", out_dir=Path("/tmp/x"),
                                users=1, spawn_rate=1, run_time_s=1, options={"ws-token": TOKEN})
    with pytest.raises(ValueError, match="secret on the command line"):
        locust_runner.run_locust(run)


def test_a_token_in_a_url_is_url_encoded(monkeypatch: pytest.MonkeyPatch) -> None:
    from support.world import World
    from support.ws_client import WsClient
    urls: list[str] = []
    monkeypatch.setattr(WsClient, "connect", lambda self: urls.append(self.url) or self)
    world = World(TargetOptions(name="wired"), [])
    world._started, world._target = True, type("T", (), {"tracker_url": "http://127.0.0.1:1", "stop": lambda self: None})()
    world.connect("dashboard", token=TOKEN)
    assert urls == ["ws://127.0.0.1:1/ws/market?token=t-Secret%26Token%2342%2B%2F%3D"]


def test_environment_properties_hold_no_token(tmp_path: Path) -> None:
    allure_results.register_secret(TOKEN)
    options = TargetOptions(name="live", sut_cmd=f"mytracker --token {TOKEN} --port {{port}}",
                            sut_env=(("WS_AUTH_TOKEN", TOKEN),))
    allure_metadata.write(tmp_path, runner="pytest-bdd", options=options)
    assert TOKEN not in (tmp_path / "environment.properties").read_text()
    assert os.environ.get("WS_AUTH_TOKEN") != TOKEN
