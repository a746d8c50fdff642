"""Headless Chromium driven over the DevTools protocol: open a page, wait for what it renders, click, screenshot.

    with Browser.start(chromium, profile_dir) as browser:
        browser.open("http://127.0.0.1:8000/index.html#behaviors")
        browser.wait_for("document.querySelectorAll('.node__title').length > 0")
        browser.evaluate("document.title")
        browser.screenshot(Path("page.png"))

No extra package: the protocol is JSON over one WebSocket (the suite's `websockets`). Waiting is on a
condition in the page, polled by the page's own clock, with a deadline; never a fixed sleep.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

from support import processes
from support.eventually import Hopeless, eventually

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--window-size=1400,1000", "--remote-debugging-port=0", "--remote-allow-origins=*")


class BrowserError(AssertionError):
    """The page did not do what the check waited for (the message says what and the page's text)."""


class Browser:
    def __init__(self, process: subprocess.Popen[bytes], socket: ClientConnection) -> None:
        self._process, self._socket, self._ids = process, socket, itertools.count(1)

    @classmethod
    @contextlib.contextmanager
    def start(cls, chromium: str, profile: Path, timeout_s: float = 20.0) -> Iterator[Browser]:
        """Chromium on a free DevTools port with its own profile, connected to its first page; ended after."""
        profile.mkdir(parents=True, exist_ok=True)
        port_file = profile / "DevToolsActivePort"
        port_file.unlink(missing_ok=True)
        process = processes.spawn([chromium, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port = _wait_for_port(port_file, process, timeout_s)
            pages = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5).read())
            page = next(p for p in pages if p.get("type") == "page")
            with connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=timeout_s) as socket:
                browser = cls(process, socket)
                browser.call("Page.enable")
                browser.call("Runtime.enable")
                yield browser
        finally:
            processes.end(process)

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """One DevTools command (to the page, or to an attached target's `session`) and its result."""
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        while True:
            reply = json.loads(self._socket.recv(timeout=60))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        done = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in done:
            raise BrowserError(f"{expression}: {done['exceptionDetails'].get('exception', {}).get('description')}")
        return done.get("result", {}).get("value")

    def evaluate_in_frame(self, title: str, expression: str) -> Any:
        """The value of `expression` inside the child frame (an attachment's iframe) whose title holds `title`.

        The report previews HTML in a sandboxed iframe, closed to the page's scripts and run in a
        process of its own; DevTools attaches to it as a target of its own.
        """
        if not self.evaluate(f"[...document.querySelectorAll('iframe')].some(f => (f.title || '').includes({json.dumps(title)}))"):
            return None
        frames = [t for t in self.call("Target.getTargets")["targetInfos"] if t.get("type") == "iframe"]
        values = []
        for frame in frames:
            session = self.call("Target.attachToTarget", targetId=frame["targetId"], flatten=True)["sessionId"]
            try:
                done = self.call("Runtime.evaluate", session=session, expression=expression, returnByValue=True)
                values.append(done.get("result", {}).get("value"))
            finally:
                self.call("Target.detachFromTarget", sessionId=session)
        return next((value for value in values if value), None)

    def open(self, url: str) -> None:
        """A fresh load of `url`: by way of about:blank, so nothing of the previous page is left to be seen."""
        self.call("Page.navigate", url="about:blank")
        self.wait_for("location.href === 'about:blank' && document.readyState === 'complete'", "a blank page")
        self.call("Page.navigate", url=url)

    def wait_for(self, condition: str, what: str = "", timeout_s: float = 20.0) -> Any:
        """The truthy value of `condition` once the page makes it so (checked on each animation frame)."""
        script = f"""new Promise(resolve => {{
            const deadline = performance.now() + {timeout_s * 1000:.0f};
            const check = () => {{
                let value = null;
                try {{ value = ({condition}); }} catch (e) {{ value = null; }}
                if (value || performance.now() > deadline) resolve({{seen: !!value, value}}); else requestAnimationFrame(check);
            }};
            check();
        }})"""
        outcome = self.evaluate(script)
        if not outcome["seen"]:
            text = self.evaluate("document.body ? document.body.innerText.slice(0, 1500) : ''")
            raise BrowserError(f"not seen within {timeout_s:.0f} s: {what or condition}\npage text:\n{text}")
        return outcome["value"]

    def click(self, selector: str, text: str = "") -> None:
        """Click the first element matching `selector` (whose text contains `text`, if given)."""
        clicked = self.evaluate(f"""(() => {{
            const el = [...document.querySelectorAll({json.dumps(selector)})]
                .find(e => e.innerText.includes({json.dumps(text)}));
            if (!el) return false;
            el.scrollIntoView({{block: 'center'}}); el.click(); return true;
        }})()""")
        if not clicked:
            raise BrowserError(f"nothing to click: {selector} containing {text!r}")

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params.update(captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": size[0], "height": min(size[1], 6000), "scale": 1})
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", **params)["data"]))
        return path


def _wait_for_port(port_file: Path, process: subprocess.Popen[bytes], timeout_s: float) -> int:
    """The DevTools port Chromium writes into its profile once it listens."""
    def port() -> int:
        if process.poll() is not None:
            raise Hopeless(f"chromium exited with code {process.returncode} before listening")
        lines = port_file.read_text().splitlines() if port_file.exists() else []
        assert lines and lines[0].isdigit(), "chromium has not written its DevTools port yet"
        return int(lines[0])
    return eventually(port, timeout=timeout_s)
