"""HTTP to the tracker and the simulator, with every exchange in the Allure report (secrets masked)."""

from __future__ import annotations

import functools
import json
import re
import ssl
from collections.abc import Mapping
from typing import Any

import httpx

from support import allure_report

_SECRET_QUERY = re.compile(r"((?:^|[?&])(?:token|access_token)=)[^&#]*", re.IGNORECASE)
_MAX_BODY = 4000


@functools.cache
def tls() -> ssl.SSLContext:
    """One TLS context for every client of the run: building one reads the CA bundle (some 25 ms of CPU),
    which httpx otherwise does for each client it makes, though the suite's URLs are plain http."""
    return httpx.create_ssl_context()


def mask(url: str) -> str:
    """`url` with the values of token query parameters replaced by ***."""
    return _SECRET_QUERY.sub(r"\1***", url)


class HttpClient:
    """A small synchronous client bound to one base URL.

        http = HttpClient("http://127.0.0.1:8000")
        body = http.get_json("/api/market/snapshot")     # asserts a 2xx answer
        response = http.get("/api/market/alerts", params={"limit": 0})
    """

    def __init__(self, base_url: str, *, timeout: float = 5.0, label: str = "tracker", keepalive: bool = True) -> None:
        """`keepalive=False` for a server whose clock jumps (libfaketime): its keep-alive timer expires at
        the jump and closes idle connections under the next request (a reset, not a contract violation)."""
        self.base_url = base_url.rstrip("/")
        self.label = label
        limits = httpx.Limits() if keepalive else httpx.Limits(max_keepalive_connections=0)
        self._client = httpx.Client(base_url=self.base_url, timeout=timeout, limits=limits, verify=tls())

    def get(self, path: str, *, params: Mapping[str, Any] | None = None) -> httpx.Response:
        return self._send("GET", path, params=params)

    def post(self, path: str, *, body: Any = None, raw_json: str | None = None) -> httpx.Response:
        """POST `body` as JSON, or `raw_json` as given (for payloads json.dumps writes but httpx refuses)."""
        return self._send("POST", path, body=body, raw_json=raw_json)

    def put(self, path: str, *, body: Any = None) -> httpx.Response:
        return self._send("PUT", path, body=body)

    def get_json(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        return self.ok_json(self.get(path, params=params))

    def ok_json(self, response: httpx.Response) -> Any:
        """The JSON body of a 2xx response; otherwise an error naming the request and the answer."""
        if not response.is_success:
            raise AssertionError(
                f"{response.request.method} {mask(str(response.request.url))} answered "
                f"{response.status_code}: {response.text[:500]}")
        try:
            return response.json()
        except ValueError:
            raise AssertionError(f"{response.request.method} {mask(str(response.request.url))} answered "
                                 f"{response.status_code} with a body that is not JSON: {response.text[:300]}") from None

    def close(self) -> None:
        self._client.close()

    def _send(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
              body: Any = None, raw_json: str | None = None) -> httpx.Response:
        content: str | None = None
        if raw_json is not None:
            content = raw_json
        elif body is not None:
            content = json.dumps(body)
        headers = {"content-type": "application/json"} if content is not None else None
        response = self._client.request(method, path, params=params, content=content, headers=headers)
        self._attach(response, content)
        return response

    def _attach(self, response: httpx.Response, sent: str | None) -> None:
        request = response.request
        lines = [f"{request.method} {mask(str(request.url))}"]
        if sent is not None:
            lines.append(sent[:_MAX_BODY])
        lines += ["", f"HTTP {response.status_code}", response.text[:_MAX_BODY]]
        allure_report.attach_text(f"{self.label}: {request.method} {mask(request.url.path)}", "\n".join(lines))
