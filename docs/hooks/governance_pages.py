"""MkDocs hook: the governance documents, the code-review page and the events pages.

- ``governance/*.md`` are included at build time as pages under ``governance/`` (read from
  their place in the repository, never copied), with ``policy.yml`` and ``events.yml``;
- ``code-review.md`` is rendered from ``governance/policy.yml``;
- ``events/index.md``, one page per event and the ``events/events.ics`` feed are rendered from
  ``governance/events.yml``;
- ``community-health.md`` shows ``reports/community-report.md`` when one is present, and
  ``reports/community-trends.md`` (``--by quarter``) after it.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from mkdocs.structure.files import File, InclusionLevel

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import identity  # noqa: E402
from tools.governance import pages  # noqa: E402
from tools.policy import load_events, load_policy  # noqa: E402

GOVERNANCE = ROOT / "governance"
REPORT = ROOT / "reports" / "community-report.md"
REPORT_HTML = ROOT / "reports" / "community-report.html"
TRENDS = ROOT / "reports" / "community-trends.md"
TRENDS_HTML = ROOT / "reports" / "community-trends.html"


def on_files(files, config, **_):
    now = datetime.now(UTC)
    ident = identity.load(ROOT)
    policy = load_policy(ROOT)
    events = load_events(ROOT)
    data = [GOVERNANCE / "policy.yml", GOVERNANCE / "events.yml"]
    sources = [*sorted(GOVERNANCE.glob("*.md")), *data]
    for path in sources:
        files.append(File.generated(config, f"governance/{path.name}", abs_src_path=str(path)))
    files.append(File.generated(config, "code-review.md", content=pages.code_review_page(policy)))
    files.append(File.generated(config, "events/index.md", content=pages.events_index(events, now)))
    for event in events.events:
        files.append(
            File.generated(
                config,
                f"events/{event.id}.md",
                content=pages.event_page(event),
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
    files.append(
        File.generated(config, "events/events.ics", content=pages.calendar(events, ident, now))
    )
    for path in (REPORT_HTML, TRENDS_HTML):
        if path.is_file():
            files.append(File.generated(config, path.name, abs_src_path=str(path)))
    return files


def on_page_markdown(markdown, page, **_):
    if page.file.src_uri == "community-health.md" and REPORT.is_file():
        head = markdown.split("No report has been published", 1)[0]
        if REPORT_HTML.is_file():
            head += "The [full report with charts](community-report.html) is one HTML page.\n\n"
        # the report's own headings start at level 2; keep them under this page's title
        body = head + "\n" + REPORT.read_text(encoding="utf-8")
        if TRENDS.is_file():
            if TRENDS_HTML.is_file():
                body += "\nThe same figures [over time, with charts](community-trends.html).\n\n"
            body += "\n" + TRENDS.read_text(encoding="utf-8")
        return body
    return markdown


def on_serve(server, config, builder, **_):
    server.watch(str(GOVERNANCE))
    return server
