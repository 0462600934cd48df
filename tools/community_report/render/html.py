"""One self-contained HTML file: tables and inline SVG charts, and one small inline script
that sorts and filters the table of every contributor — no requests, nothing fetched; without
the script the table is all there, in the report's order."""

from __future__ import annotations

from html import escape

from ...community_report.render.sections import heading, sections

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}
td,th{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{background:#f5f5f7}.charts{display:flex;flex-wrap:wrap;gap:2rem}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}svg text{font-size:11px;fill:#333}
.note{color:#555}
table.sortable th{cursor:pointer;user-select:none}table.sortable th[aria-sort]::after{content:" ▲"}
table.sortable th[aria-sort=descending]::after{content:" ▼"}td.n{text-align:right}
input.filter{font:inherit;padding:.2rem .4rem;margin:.3rem 0;width:18rem}
"""

# Click a heading to sort by it (again to reverse); type to keep the rows that contain it.
SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var body = table.tBodies[0], heads = table.querySelectorAll("th");
  heads.forEach(function (th, i) {
    th.tabIndex = 0;
    function sort() {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[i], y = b.cells[i], c;
        if (x.dataset.n !== undefined && y.dataset.n !== undefined) {
          c = Number(x.dataset.n) - Number(y.dataset.n);
        } else {
          c = x.textContent.localeCompare(y.textContent);
        }
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
  });
  var filter = document.getElementById(table.dataset.filter);
  filter.addEventListener("input", function () {
    var q = filter.value.toLowerCase();
    Array.prototype.forEach.call(body.rows, function (r) {
      r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
});
"""
CONTRIBUTOR_COLUMNS = (
    ("Name", "name"), ("GitHub", "who"), ("Commits", "commits"), ("Co-authored", "co_authored"),
    ("Lines added", "added"), ("Lines deleted", "deleted"), ("Issues", "issues"),
    ("Pull requests", "pull_requests"), ("Comments", "comments"), ("Reviews", "reviews"),
    ("First", "first_contribution"), ("Last", "last_contribution"), ("Areas", "areas"),
)  # fmt: skip


def contributor_table(report: dict, key: str) -> list[str]:
    """Every contributor of the window, sortable and searchable (``key`` tells the tables of
    one page apart)."""
    people = report["contributors"].get("every", [])
    out = [f"<h2>Every contributor ({len(people):,})</h2>"]
    if not people:
        return [*out, "<p class='note'>(none)</p>"]
    out.append(f"<input class='filter' id='filter-{key}' type='search' placeholder='Filter "
               "by name, login or area' aria-label='Filter contributors'>")  # fmt: skip
    out.append(f"<table class='sortable' data-filter='filter-{key}'><thead><tr>")
    out += [f"<th>{title}</th>" for title, _ in CONTRIBUTOR_COLUMNS]
    out.append("</tr></thead><tbody>")
    for person in people:
        cells = []
        for _, field in CONTRIBUTOR_COLUMNS:
            value = person.get(field)
            if isinstance(value, int):
                cells.append(f"<td class='n' data-n='{value}'>{value:,}</td>")
            elif field == "who":  # a login; an address only where --show-emails kept it
                cells.append(f"<td>{escape(value or '')}</td>")
            elif field in ("first_contribution", "last_contribution"):
                cells.append(f"<td>{escape((value or '')[:10])}</td>")
            elif isinstance(value, list):
                cells.append(f"<td>{escape(', '.join(value))}</td>")
            else:
                cells.append(f"<td>{escape(str(value or ''))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return out


def bar_chart(labels: list[str], values: list[int], width: int = 520, height: int = 180) -> str:
    """Vertical bars; every fourth label printed."""
    if not values:
        return "<p class='note'>No data.</p>"
    top = max(max(values), 1)
    n = len(values)
    slot = (width - 40) / n
    size = f"width='{width}' height='{height + 30}' viewBox='0 0 {width} {height + 30}'"
    parts = [f"<svg role='img' {size}>"]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = (height - 20) * value / top
        x = 30 + i * slot
        parts.append(
            f"<rect x='{x:.1f}' y='{height - h:.1f}' width='{max(slot - 2, 1):.1f}' "
            f"height='{h:.1f}' fill='#3f51b5'><title>{escape(label)}: {value}</title></rect>"
        )
        if n <= 8 or i % 4 == 0:
            parts.append(f"<text x='{x:.1f}' y='{height + 14}'>{escape(label)}</text>")
    parts.append(f"<text x='0' y='12'>{top}</text><text x='0' y='{height}'>0</text></svg>")
    return "".join(parts)


def hbar_chart(labels: list[str], values: list[int], width: int = 520) -> str:
    if not values:
        return "<p class='note'>No data.</p>"
    top = max(max(values), 1)
    row = 20
    height = row * len(values) + 10
    parts = [f"<svg role='img' width='{width}' height='{height}' viewBox='0 0 {width} {height}'>"]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        w = (width - 200) * value / top
        y = 5 + i * row
        parts.append(f"<text x='0' y='{y + 13}'>{escape(label[:24])}</text>")
        parts.append(
            f"<rect x='160' y='{y}' width='{w:.1f}' height='{row - 6}' fill='#009688'>"
            f"<title>{escape(label)}: {value}</title></rect>"
            f"<text x='{165 + w:.1f}' y='{y + 13}'>{value:,}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _body(report: dict, key: str = "all") -> list[str]:
    """One report's title, charts and tables."""
    title = heading(report)
    weeks = report["activity"]["by_week"]
    charts = [
        (
            "Contributions per week",
            bar_chart([w["week"][5:] for w in weeks], [w["count"] for w in weeks]),
        ),
        (
            "Ownership: commits per area",
            hbar_chart(
                [o["area"] for o in report["ownership"][:12]],
                [o["commits"] for o in report["ownership"][:12]],
            ),
        ),
    ]
    if report["responsiveness"] is not None:
        for kind, label in (("issues", "issues"), ("pull_requests", "pull requests")):
            dist = report["responsiveness"][kind]["distribution"]
            charts.append(
                (
                    f"Time to first response: {label}",
                    bar_chart([d["bucket"] for d in dist], [d["count"] for d in dist]),
                )
            )
    body = [f"<h1>{escape(title)}</h1>", "<div class='charts'>"]
    body += [f"<figure><figcaption>{escape(t)}</figcaption>{svg}</figure>" for t, svg in charts]
    body.append("</div>")
    for s in sections(report):
        body.append(f"<h2>{escape(s.title)}</h2>")
        if s.rows:
            body.append("<table><thead><tr>")
            body += [f"<th>{escape(h)}</th>" for h in s.headers]
            body.append("</tr></thead><tbody>")
            for row in s.rows:
                body.append("<tr>" + "".join(f"<td>{escape(str(x))}</td>" for x in row) + "</tr>")
            body.append("</tbody></table>")
        else:
            body.append("<p class='note'>(none)</p>")
        body += [f"<p class='note'>{escape(n)}</p>" for n in s.notes]
    body += contributor_table(report, key)
    api = report["api"]
    requests = (
        f"; GitHub API requests: {api['requests']} ({api['not_modified']} answered 304)"
        if report["source"].startswith("github:")
        else ""
    )
    body.append(
        f"<p class='note'>Generated {escape(report['generated_at'])}; schema version "
        f"{report['schema_version']}{requests}.</p>"
    )
    return body


def _page(title: str, body: list[str]) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        + "\n".join(body)
        + f"<script>{SCRIPT}</script></body></html>\n"
    )


def render(report: dict) -> str:
    return _page(heading(report), _body(report))


def render_set(report: dict) -> str:
    """The whole set, then each repository, on one page."""
    body = _body(report["all"])
    for i, one in enumerate(report["repositories"].values()):
        body += ["<hr>", *_body(one, f"repo-{i}")]
    return _page(heading(report["all"]), body)
