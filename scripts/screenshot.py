"""Take the README screenshot: log in as the demo Verwaltung account, capture the dashboard.

Usage (with the demo server running on :8000): .venv/bin/python scripts/screenshot.py [URL] [OUT]
Uses Debian's Chromium at /usr/bin/chromium.
"""

import sys

from playwright.sync_api import sync_playwright

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
out = sys.argv[2] if len(sys.argv) > 2 else "docs/screenshot.png"

with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page.goto(f"{base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill("verwaltung")
    page.get_by_label("Passwort").fill("demo")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out, full_page=False)
    browser.close()
print(out)
