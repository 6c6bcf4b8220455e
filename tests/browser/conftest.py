import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
# Playwright's sync API runs an event loop; Django's ORM must still be usable
# from the test function itself.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + "; REQUIRE_BROWSER=1 forbids skipping")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page (360 px wide)."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-CA")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot():
    """Save a screenshot of a step as a test artifact."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def live_server(transactional_db):
    """The site served from a thread for one test, then stopped, so its
    database connection is closed before the test database is dropped."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()


AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        message = "needs axe-core in node_modules (npm ci; ./test.sh runs it)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + "; REQUIRE_BROWSER=1 forbids skipping")
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def accessible(axe_source):
    """Check the page with axe-core (WCAG 2.1 A and AA); fail with each violation
    and where it is. axe is evaluated through the browser's debugging protocol,
    not as a script element, so it works under any Content-Security-Policy."""

    def check(page) -> None:
        if page.evaluate("typeof window.axe") == "undefined":
            page.evaluate(axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = [
            f"{item['id']}: {item['help']} at {[node['target'] for node in item['nodes']]}"
            for item in result["violations"]
        ]
        if violations:
            raise AssertionError(f"axe-core on {page.url}:\n" + "\n".join(violations))

    return check


# Visible controls smaller than this fail; links inside running text are exempt
# (WCAG's "inline" exception), as are controls hidden until JavaScript shows them.
SMALL_TARGETS = """
() => Array.from(document.querySelectorAll(
    'a[href], button, select, input:not([type=hidden]):not([type=checkbox]), textarea, label.check'
  )).filter(element => {
    if (element.closest('.trap')) return false;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return false;
    if (element.tagName === 'A') {
      const parent = element.parentElement;
      const inline = parent.textContent.trim() !== element.textContent.trim()
        && getComputedStyle(element).display === 'inline';
      if (inline) return false;
    }
    return box.height < 44;
  }).map(element => element.outerHTML.slice(0, 80))
"""


@pytest.fixture
def phone_ready():
    """Check a page fits a 360 px phone: no sideways scrolling, touch targets >= 44 px."""

    def check(page) -> None:
        found = (
            page.evaluate("document.documentElement.scrollWidth"),
            page.evaluate(SMALL_TARGETS),
        )
        if found != (360, []):
            raise AssertionError(f"{page.url}: (page width, small targets) = {found}")

    return check
