"""Screenshots of every main page as each demo role at 1280 and 390 px (`make screenshots`).

Without `--url` the script seeds the demo data into a throwaway SQLite database, serves it with
`runserver` on a free port and stops it afterwards; with `--url` it uses a running server that has
the demo accounts (password "demo"). Playwright drives Debian's Chromium (/usr/bin/chromium); no
browser is downloaded. Files: var/screenshots/<role>/<page>-<width>.png. The script also reports
every page that is wider than the window (the page itself scrolls sideways) and exits with 1 then.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ROLES = ("verwaltung", "stadtrat", "ag-mitglied", "ratsbuero")
WIDTHS = (1280, 390)

# (name, path) or (name, (list path, pattern of the first link to follow)).
PAGES = [
    ("dashboard", "/"),
    ("strategie", "/strategie/"),
    ("strategie-filter", "/strategie/?q=digital"),
    ("handlungsfeld", ("/strategie/", r"/strategie/handlungsfeld/\d+/$")),
    ("ziel", ("/strategie/", r"/strategie/ziel/\d+/$")),
    ("massnahme", ("/strategie/?q=M", r"/strategie/massnahme/\d+/$")),
    ("fristen", "/strategie/fristen/"),
    ("zeitplan", "/strategie/zeitplan/"),
    ("finanzen", "/finanzen/"),
    ("kostenpositionen", "/finanzen/kostenpositionen/"),
    ("kostenposition", ("/finanzen/kostenpositionen/", r"/finanzen/kostenpositionen/\d+/$")),
    ("kostenposition-neu", "/finanzen/kostenpositionen/neu/"),
    ("foerderprogramme", "/finanzen/foerderprogramme/"),
    ("foerderprogramm", ("/finanzen/foerderprogramme/", r"/finanzen/foerderprogramme/\d+/$")),
    (
        "foerderprogramm-bearbeiten",
        ("/finanzen/foerderprogramme/", r"/finanzen/foerderprogramme/\d+/bearbeiten/$"),
    ),
    ("haushalt", "/finanzen/haushalt/"),
    ("ag-schule", "/ag-schule/"),
    ("mitglied-neu", "/ag-schule/mitglieder/neu/"),
    ("sitzung", ("/ag-schule/", r"/ag-schule/sitzungen/\d+/$")),
    ("paritaet", "/ag-schule/paritaet/"),
    ("schule", ("/ag-schule/paritaet/", r"/ag-schule/schulen/\d+/$")),
    ("beteiligung", "/beteiligung/"),
    ("verfahren", ("/beteiligung/", r"/beteiligung/\d+/$")),
    ("fraktionen", "/beteiligung/fraktionen/"),
    ("berichte", "/berichte/"),
    ("profil", "/konto/profil/"),
    ("meine-daten", "/konto/meine-daten/"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_demo_server(workdir):
    """Migrate and seed a fresh SQLite database, serve it; returns (process, base url)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir}/demo.sqlite3",
        "DEBUG": "true",
        "MEDIA_ROOT": str(Path(workdir) / "files"),
    }
    python = sys.executable
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [python, "manage.py", *command],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/konto/anmelden/", timeout=1)  # noqa: S310 (local)
            return server, url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("The demo server did not start.")


def resolve(page, base, target):
    """A fixed path, or the first link on a list page matching a pattern (None if none)."""
    if isinstance(target, str):
        return target
    list_path, pattern = target
    page.goto(base + list_path)
    for href in page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.getAttribute('href'))"
    ):
        if re.search(pattern, href.split("?")[0]):
            return href
    return None


def shoot(base, out_dir, roles, pages):
    too_wide, failed = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for role in roles:
            context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
            page = context.new_page()
            page.set_default_timeout(120_000)  # a busy machine renders the big pages slowly
            page.goto(f"{base}/konto/anmelden/")
            page.get_by_label("Benutzername").fill(role)
            page.get_by_label("Passwort").fill("demo")
            page.get_by_role("button", name="Anmelden").click()
            page.wait_for_load_state("networkidle")
            folder = out_dir / role
            folder.mkdir(parents=True, exist_ok=True)
            for name, target in pages:
                path = resolve(page, base, target)
                if path is None:
                    print(f"{role:12} {name:28} (no link on the list page for this role)")
                    continue
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    try:
                        response = page.goto(base + path)
                        page.wait_for_load_state("networkidle")
                    except PlaywrightError as error:
                        print(
                            f"{role:12} {name:28} {width:5} failed: {error.message.splitlines()[0]}"
                        )
                        failed.append((role, name, width))
                        continue
                    status = response.status if response else 0
                    if status == 403:
                        print(f"{role:12} {name:28} {width:5} 403 (not for this role)")
                        continue
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
                    flag = ""
                    if scroll > width:
                        flag = "  TOO WIDE"
                        too_wide.append((role, name, width, scroll))
                    print(f"{role:12} {name:28} {width:5} {status} scrollWidth={scroll}{flag}")
            context.close()
        browser.close()
    return too_wide, failed


def main():
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server with the demo data (default: start one)")
    parser.add_argument("--out", default=str(BASE_DIR / "var" / "screenshots"))
    parser.add_argument("--role", action="append", choices=ROLES, help="only these roles")
    parser.add_argument("--page", action="append", help="only pages with these names")
    args = parser.parse_args()
    pages = [p for p in PAGES if not args.page or p[0] in args.page]
    out_dir = Path(args.out)
    server = None
    with tempfile.TemporaryDirectory(prefix="pd-screenshots-") as workdir:
        base = args.url.rstrip("/") if args.url else None
        if base is None:
            server, base = start_demo_server(workdir)
        try:
            too_wide, failed = shoot(base, out_dir, args.role or ROLES, pages)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=10)
    print(f"Screenshots in {out_dir}")
    for role, name, width, scroll in too_wide:
        print(f"Too wide: {role} {name} at {width} px: {scroll} px")
    for role, name, width in failed:
        print(f"Not loaded: {role} {name} at {width} px")
    return 1 if too_wide or failed else 0


if __name__ == "__main__":
    sys.exit(main())
