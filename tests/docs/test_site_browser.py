"""The built site in headless Chromium: navigation, search, events order, the calendar feed."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlparse

import icalendar
import pytest

from tests.conftest import ROOT
from tools import identity
from tools.policy import load_events

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "build" / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(out))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.outside = []  # requests that would have left the machine

    def guard(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", None):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    yield page
    context.close()


def _title(page) -> str:
    return page.locator("article h1").first.inner_text().rstrip("¶").strip()


def test_home_page_and_navigation(page, site):
    page.goto(site)
    name = identity.load(ROOT).name
    assert page.title().startswith(name)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "docs-home.png"), full_page=True)

    nav = page.locator("nav.md-nav--primary")
    nav.get_by_role("link", name="How we govern").click()
    page.wait_for_url("**/governance/GOVERNANCE/")
    assert _title(page) == "Governance"

    nav.get_by_role("link", name="Code review", exact=True).click()
    page.wait_for_url("**/code-review/")
    assert _title(page) == "Code review"
    assert page.get_by_role("cell", name="model", exact=True).count() == 1

    nav.get_by_role("link", name="Events", exact=True).click()
    page.wait_for_url("**/events/")
    assert _title(page) == "Events"
    # The only request that leaves the machine is the theme's fetch of the repository's facts
    # (stars, forks, latest release) from the GitHub API; no fonts, no scripts, no trackers.
    repo_api = f"https://api.github.com/repos/{identity.load(ROOT).repository}"
    assert all(url.startswith(repo_api) for url in page.outside), page.outside


def test_search_finds_the_code_of_conduct(page, site):
    page.goto(site)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("code of conduct")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() >= 1
    links = [
        results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())
    ]
    assert any("CODE_OF_CONDUCT" in (href or "") for href in links), links


def test_events_page_lists_upcoming_before_past(page, site):
    page.goto(site + "events/")
    headings = page.locator("article h2").all_inner_texts()
    assert [h.strip("¶ ").strip() for h in headings][:2] == ["Upcoming", "Past"]
    text = page.locator("article").inner_text()
    upcoming, past = text.split("Past", 1)
    soon, gone = load_events(ROOT).split(datetime.now(UTC))
    for event in soon:
        assert event.title in upcoming
    for event in gone:
        assert event.title in past and event.title not in upcoming
    positions = [upcoming.index(e.title) for e in soon]
    assert positions == sorted(positions), "upcoming events are soonest first"


def test_calendar_link_serves_the_same_events(page, site):
    page.goto(site + "events/")
    href = page.get_by_role("link", name="calendar feed").get_attribute("href")
    url = urllib.request.urljoin(page.url, href)
    with urllib.request.urlopen(url, timeout=10) as response:
        feed = icalendar.Calendar.from_ical(response.read())
    events = load_events(ROOT).events
    parsed = {str(e["summary"]): e for e in feed.walk("VEVENT")}
    assert set(parsed) == {e.title for e in events}
    for event in events:
        assert parsed[event.title].decoded("dtstart") == event.starts
        assert parsed[event.title].decoded("dtend") == event.ends


def test_the_home_page_says_where_to_ask(page, site):
    from tools.governance.generate import questions_url
    from tools.policy import load_policy

    page.goto(site)
    link = page.get_by_role("link", name="Ask it in the discussions")
    expected = questions_url(load_policy(ROOT), identity.load(ROOT).repository)
    assert link.count() == 1 and link.get_attribute("href") == expected


def test_example_people_and_events_are_labelled(page, site):
    from tools.policy import load_policy

    examples = [p for p in load_policy(ROOT).people if p.example]
    page.goto(site + "governance/MAINTAINERS/")
    text = page.locator("article").inner_text()
    for person in examples:
        assert f"{person.name} (example)" in text
    assert ("(example)" in text) == bool(examples)
    hrefs = page.locator("article a").evaluate_all("els => els.map(e => e.href)")
    profiles = {h.rsplit("/", 1)[1] for h in hrefs if h.startswith("https://github.com/")}
    assert not profiles & {p.login for p in examples}  # an invented person links nowhere
    events = [e for e in load_events(ROOT).events if e.example]
    page.goto(site + "events/")
    rows = page.locator("article table tr").all_inner_texts()
    for event in events:
        assert any(event.title in r and "(example)" in r for r in rows), (event.title, rows)
    if events:
        page.goto(site + f"events/{events[0].id}/")
        assert page.locator(".admonition-title", has_text="Example").count() == 1
        page.screenshot(path=str(ARTIFACTS / "docs-example-event.png"))
