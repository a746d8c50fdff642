"""The files Allure reads from a results folder besides the results: environment, executor, categories.

Written at session start, after --clean-alluredir has emptied the folder (pytest: conftest's
pytest_sessionstart; behave: before_all, once the Allure formatter exists):

    from support import allure_metadata
    for folder in allure_metadata.results_dirs():      # where Allure writes in this process
        allure_metadata.write(folder, runner="pytest-bdd", options=target_options)
"""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import allure_commons
from allure_commons.logger import AllureFileLogger

from support.allure_results import mask_secrets
from support.http_client import mask
from support.targets import TargetOptions

PACKAGES = ("pytest", "pytest-bdd", "behave", "allure-pytest-bdd", "allure-behave", "allure-python-commons",
            "fastapi", "uvicorn", "websockets", "httpx", "testcontainers", "locust")
ROOT = Path(__file__).resolve().parents[1]

# Order matters only for reading: Allure puts a result in every category it matches, so the
# regular expressions are written not to overlap (infrastructure first, carved out of the others).
_INFRA = (r"TargetError|DockerException|docker\.errors|APIError|ConnectError|ConnectTimeout|"
          r"ConnectionRefusedError|Address already in use|did not become ready|did not start|"
          r"did not answer GET|exited with code|no Docker engine")
CATEGORIES: list[dict[str, Any]] = [
    {"name": "Infrastructure problems (engine, ports, timeouts starting the system)",
     "matchedStatuses": ["broken", "failed"], "messageRegex": f"(?s).*({_INFRA}).*"},
    {"name": "Known flaky behaviour",
     "matchedStatuses": ["broken", "failed"], "flaky": True},
    {"name": "Contract violations (the tracker broke a rule of the contract, whatever the step's keyword)",
     "matchedStatuses": ["failed"], "messageRegex": f"(?s)(?!.*({_INFRA})).*"},
    {"name": "Suite defects (errors in steps or support code)",
     "matchedStatuses": ["broken"], "messageRegex": f"(?s)(?!.*({_INFRA})).*"},
]


def results_dirs() -> list[Path]:
    """The folders the Allure file loggers registered in this process write to (none without Allure)."""
    return [Path(plugin._report_dir) for plugin in allure_commons.plugin_manager.get_plugins()
            if isinstance(plugin, AllureFileLogger)]


def write(folder: Path, *, runner: str, options: TargetOptions) -> None:
    """environment.properties, executor.json and categories.json into `folder`; never fails a run."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        properties = folder / "environment.properties"
        values = _merged(_read_properties(properties), environment(runner, options))
        properties.write_text(_properties(values), encoding="utf-8")
        (folder / "executor.json").write_text(json.dumps(executor(runner), indent=2), encoding="utf-8")
        (folder / "categories.json").write_text(json.dumps(CATEGORIES, indent=2), encoding="utf-8")
    except OSError as error:
        print(f"allure metadata: cannot write into {folder}: {error}")


def environment(runner: str, options: TargetOptions) -> dict[str, str]:
    """What the run was made of: runner, target, which tracker, Python, packages, commit."""
    values = {"runner": runner, "target": options.name, "tracker": tracker_description(options),
              "python": f"{platform.python_implementation()} {platform.python_version()}",
              "os": platform.platform(terse=True), "git.commit": _git_commit()}
    for package in PACKAGES:
        try:
            values[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return {key: mask_secrets(value) for key, value in values.items()}


def tracker_description(options: TargetOptions) -> str:
    if options.name == "wired":
        return "reference tracker in the test process (tracker.main:create_app, uvicorn on 127.0.0.1)"
    if options.name == "live":
        if options.sut_url:
            return f"already running at {mask(options.sut_url)}"
        from support.targets.live import DEFAULT_COMMAND
        return f"command: {options.sut_cmd or DEFAULT_COMMAND}"
    if options.name == "docker":
        from support.stack.images import DEFAULT_SIMULATOR_IMAGE, DEFAULT_TRACKER_IMAGE
        tracker = os.environ.get("VN30_TRACKER_IMAGE") or DEFAULT_TRACKER_IMAGE
        simulator = os.environ.get("VN30_SIMULATOR_IMAGE") or DEFAULT_SIMULATOR_IMAGE
        return f"image {tracker} (simulator image {simulator})"
    return options.name


def executor(runner: str) -> dict[str, Any]:
    """Who ran it: the CI build (GitHub Actions) with a link back, or this machine."""
    env = os.environ
    if env.get("GITHUB_ACTIONS") == "true":
        run_url = f"{env.get('GITHUB_SERVER_URL', 'https://github.com')}/{env.get('GITHUB_REPOSITORY', '')}" \
                  f"/actions/runs/{env.get('GITHUB_RUN_ID', '')}"
        number = env.get("GITHUB_RUN_NUMBER", "0")
        return {"name": "GitHub Actions", "type": "github", "url": run_url, "buildOrder": int(number),
                "buildName": f"{env.get('GITHUB_WORKFLOW', 'acceptance')} #{number} ({env.get('GITHUB_JOB', runner)})",
                "buildUrl": run_url}
    return {"name": socket.gethostname(), "type": "local", "buildName": f"{runner} on {socket.gethostname()}"}


def _git_commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=5, check=False)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = done.stdout.strip() or "unknown"
    return f"{commit} (with local changes)" if dirty.stdout.strip() else commit


_PER_STAGE = ("runner", "target", "tracker")  # one results folder, several stages: these list every stage's


def _merged(before: dict[str, str], now: dict[str, str]) -> dict[str, str]:
    """`now`, with the per-stage values of an earlier stage that wrote into the same folder kept beside it."""
    merged = dict(now)
    for key in _PER_STAGE:
        seen = [part for part in before.get(key, "").split(" | ") if part]
        if now.get(key) and now[key] not in seen:
            seen.append(now[key])
        if seen:
            merged[key] = " | ".join(seen)
    return merged


def _read_properties(path: Path) -> dict[str, str]:
    """What an earlier stage wrote (the lines this module writes: `key=value`), {} if nothing."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    pairs = (line.split("=", 1) for line in lines if "=" in line)
    return {key: value.replace("\\n", "\n").replace("\\\\", "\\") for key, value in pairs}


def _properties(values: dict[str, str]) -> str:
    """Java .properties: one `key=value` per line, backslashes and line breaks escaped."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "")
    return "".join(f"{escape(key).replace('=', '_').replace(':', '_')}={escape(value)}\n"
                   for key, value in values.items())
