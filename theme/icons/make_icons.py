#!/usr/bin/env python3
"""Draw the PNG icons from theme/static/favicon.svg with headless Chromium, and wrap the 32 px one
in theme/icons/favicon.ico (an ICO file may hold a PNG). Run again after editing the SVG:
``.venv/bin/python theme/icons/make_icons.py``."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

THEME = Path(__file__).resolve().parents[1]
SVG = THEME / "static" / "favicon.svg"


def png(page, size: int) -> bytes:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(
        f'<body style="margin:0">{SVG.read_text()}</body>'.replace("<svg ", f'<svg width="{size}" height="{size}" ')
    )
    return page.screenshot(omit_background=True)


def ico(data: bytes, size: int) -> bytes:
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(data), 6 + 16)
    return header + entry + data


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page()
        (THEME / "static" / "apple-touch-icon.png").write_bytes(png(page, 180))
        (THEME / "icons" / "favicon.ico").write_bytes(ico(png(page, 32), 32))
        browser.close()


if __name__ == "__main__":
    main()
