"""First-load weight of the five main public pages, as a phone gets them.

Run by hand (not a test):  .venv/bin/python bench/pages.py

Uses the production settings (WhiteNoise serving compressed, fingerprinted
static files), a throw-away SQLite database with the demo events and the
static files collected into a temporary folder. For each page it requests the
HTML and every file the page makes the browser fetch (stylesheets, scripts,
images; data: addresses cost no request), with "Accept-Encoding: gzip, br",
and prints the bytes on the wire and the number of requests.
Target: under 100 kB and at most 5 requests per page.

The HTML is counted as sent by the application, uncompressed: pages that
carry secret links are not compressed on purpose (BREACH), so this is the
upper bound.
"""

import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="pages-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'db.sqlite3'}"
os.environ["STATIC_ROOT"] = str(WORK / "static")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

LIMIT_BYTES, LIMIT_REQUESTS = 100_000, 5
ASSETS = re.compile(r"""<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)\"""")


def prepare():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from events.demo import load_demo
    from events.models import Event
    from registrations.services import register_attendee

    load_demo()
    assembly = Event.objects.get(slug="open-assembly-undocumented")
    token = register_attendee(event=assembly).token
    return [
        ("event list", "/"),
        ("event page", assembly.get_absolute_url()),
        ("campaign page", "/campaigns/status-for-all/"),
        ("registration form", f"/events/{assembly.slug}/register/"),
        ("manage page", f"/r/{token}/"),
    ]


def body_size(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def first_load(client, path: str, language: str):
    client.cookies["django_language"] = language
    page = client.get(path, HTTP_ACCEPT_ENCODING="gzip, br")
    assert page.status_code == 200, (path, page.status_code)
    html = page.content.decode()
    total, requests, caching = len(page.content), 1, set()
    for address in ASSETS.findall(html):
        if address.startswith("data:"):
            continue
        asset = client.get(address, HTTP_ACCEPT_ENCODING="gzip, br")
        assert asset.status_code == 200, (address, asset.status_code)
        total += body_size(asset)
        requests += 1
        caching.add(f"{asset.get('Content-Encoding', 'identity')}, {asset['Cache-Control']}")
    return total, requests, caching


def main() -> None:
    pages = prepare()
    from django.test import Client

    client = Client()
    print("First load per page (HTML + its files, bytes on the wire)")
    print(f"{'page':<20}{'language':<10}{'bytes':>9}{'requests':>10}  static files sent as")
    failed = False
    for name, path in pages:
        for language in ("en", "pa"):
            total, requests, caching = first_load(client, path, language)
            ok = total < LIMIT_BYTES and requests <= LIMIT_REQUESTS
            failed |= not ok
            print(
                f"{name:<20}{language:<10}{total:>9,}{requests:>10}  "
                f"{'; '.join(sorted(caching)) or '-'}{'' if ok else '  OVER TARGET'}"
            )
    print(f"Target: < {LIMIT_BYTES:,} bytes and <= {LIMIT_REQUESTS} requests per page.")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
