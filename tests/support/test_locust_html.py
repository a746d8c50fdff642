"""Locust's HTML report made viewable in Allure's sandboxed preview: the storage shim goes first, once."""

from __future__ import annotations

from support.locust_html import MARKER, viewable


def test_the_shim_is_the_first_thing_in_the_head_and_only_once() -> None:
    page = '<!doctype html><html><head><meta charset="utf-8"><script>localStorage.theme</script></head></html>'
    shown = viewable(page)
    assert shown.index(MARKER) < shown.index("<meta") < shown.index("localStorage.theme")
    assert viewable(shown) == shown
    assert viewable("<p>no head</p>").startswith(f'<script id="{MARKER}">')
