"""Locust's HTML report made viewable inside the Allure report, where it is previewed in a sandboxed iframe.

    body = viewable(Path("report.html").read_text())   # then attach `body` as text/html

Allure 2.46 shows an HTML attachment in an iframe sandboxed without `allow-same-origin`, where
reading `window.localStorage` throws a SecurityError. Locust's report reads it first thing (its
theme), so its page stays blank: no statistics, no charts. A script put first in the page gives
it a storage kept in memory when the real one is refused; nothing else of the report changes.
"""

from __future__ import annotations

import re

MARKER = "vn30-storage-shim"
SHIM = (f'<script id="{MARKER}">(() => {{ try {{ void window.localStorage; }} catch (refused) {{'
        " const items = new Map(); const storage = {"
        " getItem: (k) => (items.has(String(k)) ? items.get(String(k)) : null),"
        " setItem: (k, v) => { items.set(String(k), String(v)); }, removeItem: (k) => { items.delete(String(k)); },"
        " clear: () => { items.clear(); }, key: (i) => [...items.keys()][i] ?? null, get length() { return items.size; } };"
        " for (const name of ['localStorage', 'sessionStorage']) {"
        " Object.defineProperty(window, name, { value: storage, configurable: true }); } } })();</script>")
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)


def viewable(html: str) -> str:
    """`html` with the storage shim first in its <head> (or first of all without one); unchanged if it has it."""
    if MARKER in html:
        return html
    head = _HEAD.search(html)
    at = head.end() if head else 0
    return html[:at] + SHIM + html[at:]
