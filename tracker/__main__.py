"""`python -m tracker --host H --port P`: serve the tracker configured by the environment."""

from __future__ import annotations

import argparse
import logging
import sys

from tracker.settings import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracker", description="Reference VN30 market tracker")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port; the URL is printed first")
    parser.add_argument("--log-level", default=None, choices=["debug", "info", "warning", "error", "critical"])
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"tracker: configuration error: {exc}", file=sys.stderr)
        return 2

    from tracker.main import TrackerServer, create_app, uvicorn_config

    level = (args.log_level or settings.log_level).upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    server = TrackerServer(uvicorn_config(app, host=args.host, port=args.port, log_level=level), announce=True)
    server.run()
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
