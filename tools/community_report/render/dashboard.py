"""The dashboard (``--dashboard DIR``): a static site made from the store — every series over
time as a chart, a repository filter for a set or an organisation, the table of every
contributor of the window, and the window report's headline figures.

Charts are drawn by Plotly.js, copied from the ``plotly`` package's own files (the
``dashboard`` extra) into the site: nothing is fetched from a CDN, so the site works opened
from disk (``file://``) and on GitHub Pages alike. The data travel in ``data.js`` (a
``file://`` page may not fetch a JSON file). Pure: :func:`render` returns the files' texts;
the CLI writes them and copies the library.
"""

from __future__ import annotations

import json
from html import escape

from ...community_report.metrics.trends import SERIES
from ...community_report.render.html import CONTRIBUTOR_COLUMNS, STYLE

PLOTLY = "assets/plotly.min.js"  # where the site keeps Plotly.js
LINES = {"acceptance_ratio", "files", "lines"}  # drawn as lines: levels, not counts

PAGE = """<!doctype html>
<html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title>
<style>{style}
header{{display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}}
select{{font:inherit;padding:.2rem}}
dl.headline{{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.6rem}}
dl.headline div{{background:#f5f5f7;border-radius:6px;padding:.5rem .7rem}}
dl.headline dt{{color:#555;font-size:.85rem}}dl.headline dd{{margin:0;font-size:1.3rem}}
.charts figure{{width:31rem;max-width:100%}}.chart{{height:220px}}
</style>
<header><h1>{title}</h1>
<label>Repository <select id="scope" aria-label="Repository"></select></label></header>
<p class="note" id="generated"></p>
<noscript><p>This dashboard draws its charts with JavaScript; the same figures are in the
JSON report (<code>community-report --format json</code>).</p></noscript>
<h2>The window</h2><dl class="headline" id="headline"></dl>
<h2>Over time, by {by}</h2><div class="charts" id="charts"></div>
<h2>Every contributor of the window (<span id="people-count">0</span>)</h2>
<input class="filter" id="filter" type="search" placeholder="Filter by name, login or area"
 aria-label="Filter contributors">
<table class="sortable" id="people"><thead><tr>{heads}</tr></thead><tbody></tbody></table>
<div id="notes"></div>
<script src="{plotly}"></script>
<script src="data.js"></script>
<script src="dashboard.js"></script>
</html>
"""

SCRIPT = r"""
(function () {
  "use strict";
  var D = window.DASHBOARD, select = document.getElementById("scope");
  var layout = {margin: {t: 8, r: 8, b: 48, l: 52}, height: 220, showlegend: false,
                xaxis: {type: "category", automargin: true}, yaxis: {rangemode: "tozero"}};
  var config = {displayModeBar: false, responsive: true};
  var sortKey = "commits", ascending = false;

  D.scopes.forEach(function (s) {
    var o = document.createElement("option");
    o.value = s.key;
    o.textContent = s.name;
    select.appendChild(o);
  });
  document.getElementById("generated").textContent = D.subtitle;

  function charts(scope) {
    var rows = D.series[scope] || [], box = document.getElementById("charts");
    var x = rows.map(function (r) { return r.period; });
    D.figures.forEach(function (f) {
      var el = document.getElementById("chart-" + f.key);
      if (!el) {
        var fig = document.createElement("figure"), cap = document.createElement("figcaption");
        cap.textContent = f.label;
        el = document.createElement("div");
        el.id = "chart-" + f.key;
        el.className = "chart";
        fig.appendChild(cap);
        fig.appendChild(el);
        box.appendChild(fig);
      }
      var y = rows.map(function (r) { return r[f.key]; });
      el.parentNode.hidden = !y.some(function (v) { return v !== null; });
      var trace = f.line ? {type: "scatter", mode: "lines+markers", connectgaps: false}
                         : {type: "bar"};
      trace.x = x;
      trace.y = y;
      trace.name = f.label;
      Plotly.react(el, [trace], layout, config);
    });
  }

  function headline(scope) {
    var dl = document.getElementById("headline");
    dl.textContent = "";
    (D.window[scope] || {headline: []}).headline.forEach(function (item) {
      var div = document.createElement("div"), dt = document.createElement("dt"),
          dd = document.createElement("dd");
      dt.textContent = item[0];
      dd.textContent = item[1];
      div.appendChild(dt);
      div.appendChild(dd);
      dl.appendChild(div);
    });
  }

  function people(scope) {
    var rows = ((D.window[scope] || {}).every || []).slice();
    rows.sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey], c;
      if (typeof x === "number" && typeof y === "number") { c = x - y; }
      else { c = String(x === null ? "" : x).localeCompare(String(y === null ? "" : y)); }
      return ascending ? c : -c;
    });
    var body = document.querySelector("#people tbody"), q = document.getElementById("filter")
      .value.toLowerCase();
    body.textContent = "";
    rows.forEach(function (p) {
      var tr = document.createElement("tr");
      D.columns.forEach(function (col) {
        var td = document.createElement("td"), v = p[col[1]];
        if (typeof v === "number") { td.className = "n"; td.textContent = v.toLocaleString("en"); }
        else if (Array.isArray(v)) { td.textContent = v.join(", "); }
        else { td.textContent = v === null || v === undefined ? "" : String(v).slice(0, col[2]); }
        tr.appendChild(td);
      });
      tr.hidden = q !== "" && tr.textContent.toLowerCase().indexOf(q) < 0;
      body.appendChild(tr);
    });
    document.getElementById("people-count").textContent = rows.length.toLocaleString("en");
    document.querySelectorAll("#people th").forEach(function (th) {
      if (th.dataset.key === sortKey) {
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      } else { th.removeAttribute("aria-sort"); }
    });
  }

  function notes(scope) {
    var box = document.getElementById("notes");
    box.textContent = "";
    D.notes.concat((D.window[scope] || {}).notes || []).forEach(function (n) {
      var p = document.createElement("p");
      p.className = "note";
      p.textContent = n;
      box.appendChild(p);
    });
  }

  function show(scope) { charts(scope); headline(scope); people(scope); notes(scope); }

  document.querySelectorAll("#people th").forEach(function (th) {
    th.tabIndex = 0;
    function sort() {
      ascending = th.dataset.key === sortKey ? !ascending : th.dataset.numeric !== "1";
      sortKey = th.dataset.key;
      people(select.value);
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
  });
  document.getElementById("filter").addEventListener("input", function () {
    people(select.value);
  });
  select.addEventListener("change", function () { show(select.value); });
  show(select.value);
})();
"""

NUMERIC = {"commits", "co_authored", "added", "deleted", "issues", "pull_requests", "comments",
           "reviews"}  # fmt: skip


def _headline(report: dict) -> list[tuple[str, str]]:
    """The window report's figures a visitor looks for first, as (label, shown value)."""
    c, people = report.get("commits") or {}, report.get("contributors") or {}
    out = [("Commits", c.get("total")), ("Active contributors", people.get("active")),
           ("New contributors", people.get("new")), ("Returning", people.get("returning")),
           ("Absence factor", people.get("absence_factor")),
           ("Elephant factor", people.get("elephant_factor"))]  # fmt: skip
    issues, pulls = report.get("issues") or {}, report.get("pull_requests") or {}
    out += [("Issues opened", issues.get("opened")), ("Pull requests opened", pulls.get("opened")),
            ("Pull requests merged", pulls.get("merged"))]  # fmt: skip
    return [(label, f"{v:,}" if isinstance(v, int) else str(v)) for label, v in out
            if v is not None]  # fmt: skip


def _scope_name(key: str) -> str:
    if key == "all":
        return "all repositories"
    return key.split(":", 1)[1] if key.startswith("github:") else key.rsplit("/", 1)[-1]


def render(trends: dict, window: dict) -> dict[str, str]:
    """The site's own files (index.html, dashboard.js, data.js) for a trends report and the
    window report of the same sources (one repository's, or a set's with each repository)."""
    if window.get("kind") == "set":
        windows = {"all": window["all"], **window["repositories"]}
    else:
        windows = {"all": window}
    one = len(trends["sources"]) == 1  # its series "all" and its own are the same
    keys = ["all"] if one else ["all", *(k for k in trends["series"] if k != "all")]
    scopes = [{"key": k, "name": _scope_name(trends["sources"][0] if one else k)} for k in keys]
    subtitle = (f"{len(trends['sources'])} source(s); generated {trends['generated_at']}; the "
                f"window {windows['all']['window']['since'][:10]} to "
                f"{windows['all']['window']['until'][:10]}")  # fmt: skip
    data = {
        "subtitle": subtitle,
        "by": trends["by"],
        "figures": [{"key": k, "label": label, "line": k in LINES} for k, label in SERIES],
        "series": {k: trends["series"].get(k, []) for k in keys},
        "scopes": scopes,
        "columns": [
            [title, field, 10 if field.endswith("_contribution") else 400]
            for title, field in CONTRIBUTOR_COLUMNS
        ],
        "window": {
            k: {
                "headline": _headline(r),
                "every": r["contributors"].get("every", []),
                "notes": r.get("notes", []),
            }
            for k, r in windows.items()
            if k in keys
        },
        "notes": trends.get("notes", []),
    }
    title = "Community dashboard: " + (
        scopes[0]["name"] if one else f"{len(trends['sources'])} repositories"
    )
    heads = "".join(
        f"<th data-key='{field}' data-numeric='{int(field in NUMERIC)}'>{escape(t)}</th>"
        for t, field in CONTRIBUTOR_COLUMNS
    )
    page = PAGE.format(title=escape(title), style=STYLE, by=escape(trends["by"]), heads=heads,
                       plotly=PLOTLY)  # fmt: skip
    blob = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return {"index.html": page, "dashboard.js": SCRIPT, "data.js": f"window.DASHBOARD = {blob};\n"}
