"""The files generated from the policy: ``.github/CODEOWNERS`` and ``governance/MAINTAINERS.md``.

Pure functions of the policy: the same policy always gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..policy import Person, Policy

CODEOWNERS = Path(".github") / "CODEOWNERS"
ISSUE_CONFIG = Path(".github") / "ISSUE_TEMPLATE" / "config.yml"
CODE_OF_CONDUCT = Path("governance") / "CODE_OF_CONDUCT.md"
SECURITY = Path("governance") / "SECURITY.md"
MAINTAINERS = Path("governance") / "MAINTAINERS.md"
OWNER_ROLES = ("maintainer", "reviewer")
GENERATED_MARK = "# Generated from governance/policy.yml"
ROLE_TITLES = {
    "steering": "Steering committee",
    "maintainer": "Maintainers",
    "reviewer": "Reviewers",
    "triager": "Triagers",
}


def eligible_owners(policy: Policy, area: str) -> list[Person]:
    """Active maintainers and reviewers who list the area."""
    return [p for p in policy.owners(area) if any(p.has(r) for r in OWNER_ROLES)]


def codeowners(policy: Policy) -> str:
    lines = [
        GENERATED_MARK + " by `governance sync`: edit the policy, not this.",
        "# GitHub applies the last matching line, so broader patterns come first; the review",
        "# bot and the community report give each path the areas of that same line.",
        "",
    ]
    maintainers = policy.active("maintainer")
    if maintainers:
        lines += [
            "# Fallback: the active maintainers.",
            "* " + " ".join(f"@{p.login}" for p in maintainers),
        ]
    else:
        lines.append("# No fallback yet: governance/policy.yml names no active maintainer.")
    for pattern, areas in policy.ownership_lines:
        owners: list[str] = []
        for name in areas:
            owners += [f"@{p.login}" for p in eligible_owners(policy, name)]
            owners += [f"@{team}" for team in policy.areas[name].teams]
        owners = list(dict.fromkeys(owners))
        if owners:
            lines.append(f"/{pattern} {' '.join(owners)}")
        elif all(policy.areas[name].unowned for name in areas):
            lines.append(f"/{pattern}")  # no owner: nobody is asked, not the broader line's
    return "\n".join(lines) + "\n"


def _login(p: Person) -> str:
    """A real person's GitHub profile link; an example person's login, unlinked."""
    return f"@{p.login}" if p.example else f"[@{p.login}](https://github.com/{p.login})"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def maintainers_md(policy: Policy) -> str:
    out = [
        "# Maintainers",
        "",
        "<!-- Generated from governance/policy.yml by `governance sync`: edit the policy, "
        "not this file. -->",
        "",
        "The people who look after this project, by role. What each role means, and how to "
        "take one up or step back, is in [GOVERNANCE.md](GOVERNANCE.md).",
    ]
    if any(p.example for p in policy.people):
        out += [
            "",
            "People marked *(example)* are sample data shipped with the template "
            "(governance/examples.yml), not real accounts; `governance clear-examples` "
            "removes them.",
        ]
    for role, title in ROLE_TITLES.items():
        people = policy.active(role)
        out += ["", f"## {title}", ""]
        if not people:
            out.append("Nobody at present.")
            continue
        out += [_row(["Name", "GitHub", "Areas", "Affiliation", "Since"]), "|---|---|---|---|---|"]
        for p in sorted(people, key=lambda p: p.name.lower()):
            out.append(
                _row(
                    [
                        p.name + (" (example)" if p.example else ""),
                        _login(p),
                        ", ".join(p.areas) or "—",
                        p.current_affiliation or "—",
                        p.since.isoformat(),
                    ]
                )
            )
    emeriti = [p for p in policy.people if not p.active]
    out += ["", "## Emeritus", ""]
    if emeriti:
        out += [
            "With thanks to those who served and have stepped back.",
            "",
            _row(["Name", "GitHub", "Roles", "Served"]),
            "|---|---|---|---|",
        ]
        for p in sorted(emeriti, key=lambda p: p.name.lower()):
            served = f"{p.since.isoformat()} – {p.emeritus.isoformat()}"
            out.append(
                _row(
                    [
                        p.name + (" (example)" if p.example else ""),
                        _login(p),
                        ", ".join(p.roles),
                        served,
                    ]
                )
            )
    else:
        out.append("Nobody yet.")
    return "\n".join(out) + "\n"


def questions_url(policy: Policy, repository: str) -> str:
    return str(policy.contact.questions or f"https://github.com/{repository}/discussions")


def security_report_url(repository: str) -> str:
    """GitHub's private vulnerability reporting form (`governance apply` turns it on)."""
    return f"https://github.com/{repository}/security/advisories/new"


def issue_config(policy: Policy, repository: str) -> str:
    """The issue chooser: no blank issues, and where questions and private reports go."""
    links = [
        ("Ask a question", questions_url(policy, repository),
         "Questions, ideas and help: ask the community there rather than in an issue."),
        ("Report a security vulnerability", security_report_url(repository),
         "Please report vulnerabilities privately (see governance/SECURITY.md), never in a "
         "public issue."),
    ]  # fmt: skip
    out = [
        "# Generated from governance/policy.yml (contact) by `governance sync`: edit the policy.",
        "blank_issues_enabled: false",
        "contact_links:",
    ]
    for name, url, about in links:
        out += [f"  - name: {name}", f"    url: {url}", f"    about: {json.dumps(about)}"]
    return "\n".join(out) + "\n"


def _reach(contact: str, who: str) -> str:
    if contact.startswith("https://"):
        return f"through [this form]({contact}); only {who} reads it"
    return f"to [{contact}](mailto:{contact}); only {who} reads that address"


def _real_maintainers(policy: Policy) -> bool:
    return any(not p.example for p in policy.active("maintainer"))


def conduct_contact(policy: Policy, repository: str | None = None) -> str:
    """The Code of Conduct's private contact: words for the person reporting, never set-up
    instructions (`governance check` tells the maintainers what is missing)."""
    contact = policy.contact.conduct
    if contact is not None:
        return f"Report privately {_reach(contact, 'the steering committee')}."
    if _real_maintainers(policy):
        return (
            "Write privately to any maintainer listed in [MAINTAINERS.md](MAINTAINERS.md); "
            "their GitHub profiles say how to reach them."
        )
    return "This project has not yet named anyone to receive reports privately."


def security_contact(policy: Policy, repository: str | None = None) -> str:
    """SECURITY.md's reporting section: GitHub's private reporting, then the policy's
    address for those who cannot use GitHub."""
    where = (
        f"[Report a vulnerability]({security_report_url(repository)})"
        if repository
        else "the repository's *Security* tab → *Report a vulnerability*"
    )
    text = f"Report it privately through GitHub: {where} (a private security advisory)."
    contact = policy.contact.security
    if contact is not None:
        text += f" If you cannot use GitHub, write {_reach(contact, 'the maintainers')}."
    elif _real_maintainers(policy):
        text += (
            " If you cannot use GitHub, ask any maintainer listed in "
            "[MAINTAINERS.md](MAINTAINERS.md) for a private channel."
        )
    return text


# Sections of hand-written documents that `governance sync` writes between two markers.
SECTIONS = {
    CODE_OF_CONDUCT: ("contact", conduct_contact),
    SECURITY: ("security-contact", security_contact),
}


def markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- {name}: generated from governance/policy.yml by `governance sync` -->",
        f"<!-- /{name} -->",
    )


def splice(text: str, name: str, section: str) -> str | None:
    """``text`` with the generated section ``name`` replaced; None without its markers."""
    begin, end_marker = markers(name)
    start, end = text.find(begin), text.find(end_marker)
    if start < 0 or end < start:
        return None
    return text[:start] + f"{begin}\n{section}\n{end_marker}" + text[end + len(end_marker) :]


def generated(policy: Policy, repository: str | None = None) -> dict[Path, str]:
    out = {CODEOWNERS: codeowners(policy), MAINTAINERS: maintainers_md(policy)}
    if repository is not None:
        out[ISSUE_CONFIG] = issue_config(policy, repository)
    return out
