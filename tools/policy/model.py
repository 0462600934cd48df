"""``governance/policy.yml``: the schema, its cross-checks, and the questions tools ask of it."""

from __future__ import annotations

import itertools
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from ..identity import CONTACT_PATTERN
from ..policy import POLICY_FILE
from ..policy.globs import matches
from ..policy.loader import Day, Link, Strict, read_yaml, validate

EXAMPLES_FILE = Path("governance") / "examples.yml"
ROLES = ("contributor", "triager", "reviewer", "maintainer", "steering")
Role = Literal["contributor", "triager", "reviewer", "maintainer", "steering"]
Login = Annotated[str, Field(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$")]
BotLogin = Annotated[str, Field(min_length=1)]
Name = Annotated[str, Field(min_length=1)]
# No whitespace: CODEOWNERS cannot hold it (write ? for a space), and none at the start: "/"
# would anchor differently in CODEOWNERS than here.
Glob = Annotated[str, Field(min_length=1, pattern=r"^[^/\s]\S*$")]
Team = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")]
Domain = Annotated[str, Field(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")]
Hours = Annotated[int, Field(gt=0)]
Days = Annotated[int, Field(gt=0)]


class Affiliation(Strict):
    """An employer or organisation for a span of days: from ``from`` (inclusive; absent: the
    beginning) until ``until`` (exclusive; absent: still)."""

    org: Name
    from_: Day | None = Field(None, alias="from")
    until: Day | None = None

    @model_validator(mode="after")
    def _order(self):
        if self.from_ is not None and self.until is not None and self.until <= self.from_:
            raise ValueError(f"until {self.until} must be after from {self.from_}")
        return self

    def covers(self, day) -> bool:
        started = self.from_ is None or self.from_ <= day
        return started and (self.until is None or day < self.until)


class Person(Strict):
    login: Login
    name: Name
    roles: Annotated[list[Role], Field(min_length=1)]
    areas: list[str] = []
    affiliation: str | None = None  # undated: the organisation on any day no entry below covers
    affiliations: list[Affiliation] = []  # dated: who they worked for when
    emails: list[Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")]] = []  # commit emails
    since: Day
    emeritus: Day | None = None  # the day they stepped back; absent while active
    example: bool = False  # sample data from governance/examples.yml, not a real person

    @model_validator(mode="after")
    def _no_overlap(self):
        spans = sorted(self.affiliations, key=lambda a: (a.from_ is not None, a.from_))
        for a, b in itertools.pairwise(spans):
            if a.until is None or (b.from_ is not None and b.from_ < a.until):
                raise ValueError(
                    f"affiliations: {a.org!r} and {b.org!r} overlap; give each a day on which "
                    "it ends ('until') before the next begins"
                )
        return self

    def affiliation_on(self, day) -> str | None:
        """The organisation on ``day``: the dated entry that covers it, else ``affiliation``."""
        for a in self.affiliations:
            if a.covers(day):
                return a.org
        return self.affiliation

    @property
    def current_affiliation(self) -> str | None:
        """Today's organisation as the policy states it: the open-ended dated entry, else
        ``affiliation``."""
        current = [a for a in self.affiliations if a.until is None]
        return current[-1].org if current else self.affiliation

    @property
    def active(self) -> bool:
        return self.emeritus is None

    def has(self, role: str) -> bool:
        return role in self.roles


class Area(Strict):
    description: Name
    paths: Annotated[list[Glob], Field(min_length=1)]
    teams: list[Team] = []  # GitHub teams (org/team) that are code owners too
    # owned by nobody on purpose: CODEOWNERS lists the paths with no owner, so no broader
    # line's owners are asked either (what a CODEOWNERS line without owners means)
    unowned: bool = False

    @model_validator(mode="after")
    def _nobody(self):
        if self.unowned and self.teams:
            raise ValueError("an unowned area has no teams; remove one or the other")
        return self


class Approvals(Strict):
    default: Annotated[int, Field(ge=0)] = 1
    areas: dict[str, Annotated[int, Field(ge=0)]] = {}


class SizeLabels(Strict):
    """Lines changed (added + deleted) at most, for each label; above ``L`` is ``XL``."""

    XS: Annotated[int, Field(ge=0)] = 10
    S: Annotated[int, Field(ge=0)] = 50
    M: Annotated[int, Field(ge=0)] = 200
    L: Annotated[int, Field(ge=0)] = 800
    exclude: list[Glob] = []

    @model_validator(mode="after")
    def _increasing(self):
        if not self.XS < self.S < self.M < self.L:
            raise ValueError(f"thresholds must increase XS < S < M < L, got {self._values()}")
        return self

    def _values(self) -> str:
        return f"{self.XS}, {self.S}, {self.M}, {self.L}"

    def label(self, lines: int) -> str:
        for name in ("XS", "S", "M", "L"):
            if lines <= getattr(self, name):
                return f"size/{name}"
        return "size/XL"


class Requirement(Strict):
    """When a change touches ``when_changed`` it should also touch ``expect_changed``."""

    enabled: bool = True
    when_changed: list[Glob] = []
    expect_changed: list[Glob] = []


class Changelog(Strict):
    required: bool = False
    path: Glob = "CHANGELOG.md"
    skip_labels: list[str] = []


class RuleSwitch(Strict):
    enabled: bool = True


class DescriptionRule(Strict):
    enabled: bool = True
    min_body_chars: Annotated[int, Field(ge=0)] = 40
    wip_markers: list[str] = ["WIP", "[WIP]", "Draft:", "DO NOT MERGE"]


class FilesRule(Strict):
    enabled: bool = True
    max_kb: Annotated[int, Field(gt=0)] = 500


class BotRules(Strict):
    """The review bot's own switches; tests, docs, changelog, DCO and size live above."""

    size: RuleSwitch = RuleSwitch()
    ruff: RuleSwitch = RuleSwitch()
    description: DescriptionRule = DescriptionRule()
    reviewers: RuleSwitch = RuleSwitch()
    welcome: RuleSwitch = RuleSwitch()
    files: FilesRule = FilesRule()


class Review(Strict):
    approvals: Approvals = Approvals()
    required_checks: list[Name] = []
    size: SizeLabels = SizeLabels()
    tests: Requirement = Requirement()
    docs: Requirement = Requirement()
    changelog: Changelog = Changelog()
    dco: bool = True
    protected_paths: list[Glob] = []
    bot: BotRules = BotRules()


class BusinessHours(Strict):
    timezone: str
    days: Annotated[
        list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]], Field(min_length=1)
    ]
    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "09:00"
    end: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "17:00"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_timezone(value)

    @model_validator(mode="after")
    def _order(self):
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must be after start {self.start}")
        return self


class Responsiveness(Strict):
    issue_first_response_hours: Hours = 72
    pull_request_first_response_hours: Hours = 48
    business_hours: BusinessHours | None = None  # absent: hours are counted around the clock


class Stale(Strict):
    nudge_after_days: Days = 14
    exempt_labels: list[str] = []
    # reminders one `governance nudge --post` run posts at most (the longest-waiting first);
    # the rest wait for the next run, so a backlog never floods subscribers at once
    max_nudges_per_run: Annotated[int, Field(gt=0)] = 50


class Repository(Strict):
    """Settings ``governance apply`` keeps on GitHub."""

    merge_methods: Annotated[list[Literal["merge", "squash", "rebase"]], Field(min_length=1)] = [
        "squash",
        "merge",
    ]
    delete_branch_on_merge: bool = True
    discussions: bool = True
    dismiss_stale_approvals: bool = True
    require_code_owner_review: bool = True
    block_force_pushes: bool = True
    # repository admins may merge a pull request without the required approvals (the
    # ruleset's bypass, for pull requests only): what a one-person project needs
    admin_bypass: bool = False
    private_vulnerability_reporting: bool = True  # GitHub's private security advisories


class Contact(Strict):
    """Where people reach the project privately, and where they ask questions."""

    # private reports under the Code of Conduct: an email address or an https form
    conduct: Annotated[str, Field(pattern=CONTACT_PATTERN)] | None = None
    # private vulnerability reports besides GitHub's own private reporting (SECURITY.md)
    security: Annotated[str, Field(pattern=CONTACT_PATTERN)] | None = None
    questions: Link | None = None  # default: the repository's GitHub Discussions


class Label(Strict):
    # GitHub's own limits: a longer name or description fails `apply` half-way
    name: Annotated[str, Field(min_length=1, max_length=50)]
    color: Annotated[str, Field(pattern=r"^[0-9a-fA-F]{6}$")]
    description: Annotated[str, Field(max_length=100)] = ""


class Policy(Strict):
    version: Literal[1]
    people: list[Person]
    areas: dict[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")], Area]
    review: Review = Review()
    responsiveness: Responsiveness = Responsiveness()
    stale: Stale = Stale()
    labels: list[Label] = []
    repository: Repository = Repository()
    contact: Contact = Contact()
    bots: list[BotLogin] = []
    public_email_domains: list[Domain] = []
    # how CODEOWNERS orders the areas' globs (GitHub applies the last matching line):
    # "specific-last" sorts broader globs first, so each path gets its most specific glob;
    # "as-written" keeps the order the areas and their paths are written in, as a
    # CODEOWNERS file imported by `governance init` needs when its order is not that one
    codeowners_order: Literal["specific-last", "as-written"] = "specific-last"

    @model_validator(mode="after")
    def _cross_references(self):
        seen: dict[str, int] = {}
        for i, person in enumerate(self.people):
            key = person.login.lower()
            if key in seen:
                raise ValueError(
                    f"people[{i}].login {person.login!r} is already people[{seen[key]}].login; "
                    "logins are unique (GitHub ignores case)"
                )
            seen[key] = i
            for area in person.areas:
                if area not in self.areas:
                    raise ValueError(
                        f"people[{i}].areas: unknown area {area!r}; "
                        f"areas are: {', '.join(self.areas)}"
                    )
                if self.areas[area].unowned:
                    raise ValueError(
                        f"people[{i}].areas: {area!r} is unowned (areas.{area}.unowned); "
                        "remove the area from the person or the unowned flag"
                    )
            if person.emeritus is not None and person.emeritus < person.since:
                raise ValueError(f"people[{i}].emeritus {person.emeritus} is before since")
        for area in self.review.approvals.areas:
            if area not in self.areas:
                raise ValueError(
                    f"review.approvals.areas: unknown area {area!r}; "
                    f"areas are: {', '.join(self.areas)}"
                )
        names = [label.name.lower() for label in self.labels]
        if len(names) != len(set(names)):
            dup = next(n for n in names if names.count(n) > 1)
            raise ValueError(f"labels: {dup!r} is listed twice")
        return self

    # --- questions the tools ask -------------------------------------------------------

    def person(self, login: str) -> Person | None:
        return self._by_login.get(login.lower())

    @cached_property
    def _by_login(self) -> dict[str, Person]:
        return {p.login.lower(): p for p in self.people}

    def person_by_email(self, email: str) -> Person | None:
        return self._by_email.get(email.lower())

    @cached_property
    def _by_email(self) -> dict[str, Person]:
        return {e.lower(): p for p in self.people for e in p.emails}

    def active(self, role: str | None = None) -> list[Person]:
        return [p for p in self.people if p.active and (role is None or p.has(role))]

    def owners(self, area: str) -> list[Person]:
        """Active people who list the area (whatever their role; `check` flags the wrong ones)."""
        return [p for p in self.people if p.active and area in p.areas]

    @cached_property
    def ownership_lines(self) -> list[tuple[str, list[str]]]:
        """(glob, areas) in CODEOWNERS order: broader globs first, so that GitHub's rule —
        the last matching line wins — gives each path its most specific glob (or, with
        ``codeowners_order: as-written``, the order they are written in). A glob that two
        areas list belongs to both."""
        owners: dict[str, list[str]] = {}
        for name, area in self.areas.items():
            for pattern in area.paths:
                owners.setdefault(pattern, [])
                if name not in owners[pattern]:
                    owners[pattern].append(name)
        if self.codeowners_order == "as-written":
            return list(owners.items())
        return [(p, owners[p]) for p in sorted(owners, key=specificity)]

    def areas_for(self, path: str) -> list[str]:
        """The areas that own ``path``: those of the last matching glob in CODEOWNERS order —
        the same answer GitHub gives for code owners (docs: The policy file, Areas)."""
        for pattern, areas in reversed(self.ownership_lines):
            if matches(pattern, path):
                return list(areas)
        return []

    def is_bot(self, login: str, user_type: str | None = None) -> bool:
        return (
            login.endswith("[bot]")
            or user_type == "Bot"
            or login.lower() in {b.lower() for b in self.bots}
        )

    def approvals_for(self, areas: list[str]) -> int:
        counts = [self.review.approvals.areas.get(a, self.review.approvals.default) for a in areas]
        return max(counts, default=self.review.approvals.default)


# Names the zone database holds that are not places: the machine's own zone, placeholders.
NOT_PLACES = re.compile(r"^(?:localtime|Factory|posixrules|posix/.*|right/.*)$")


def specificity(pattern: str) -> tuple[int, int]:
    """How specific a glob is: the slashes and length of its literal prefix."""
    literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
    return (literal.count("/"), len(literal))


def check_timezone(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", value or "") or NOT_PLACES.match(value):
        raise ValueError("not an IANA time zone name such as Europe/Berlin or UTC")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            "unknown IANA time zone; use a name such as Europe/Berlin or UTC"
        ) from None
    return value


def default_policy() -> Policy:
    """The built-in policy for a repository without governance/policy.yml: any ``*.py``
    outside tests/ is source, tests/** (and test_*.py, *_test.py) are tests; size labels,
    ruff, the description and added files are checked. Nothing that needs the project's own
    choices (people, areas, DCO, documentation paths) is asked for."""
    return Policy(
        version=1,
        people=[],
        areas={},
        review=Review(
            tests=Requirement(
                when_changed=["**/*.py"],
                expect_changed=["tests/**", "**/test_*.py", "**/*_test.py"],
            ),
            docs=Requirement(enabled=False),
            dco=False,
        ),
    )


def load_policy(root: Path | None = None, path: Path | None = None) -> Policy:
    """Load and validate the policy (``ROOT/governance/policy.yml`` unless ``path`` is given)."""
    if path is None:
        from ..identity import find_root

        path = (root or find_root()) / POLICY_FILE
    data = read_yaml(path)
    return validate(Policy, with_examples(data, path, "people"), path)


def with_examples(data, path: Path, key: str):
    """``data`` with the sample ``key`` entries of examples.yml beside ``path`` appended,
    each marked ``example: true`` (``governance clear-examples`` deletes that file)."""
    examples = path.parent / EXAMPLES_FILE.name
    if not isinstance(data, dict) or not examples.is_file():
        return data
    sample = read_yaml(examples) or {}
    if not isinstance(sample, dict) or not isinstance(sample.get(key, []), list):
        from ..errors import UserError

        raise UserError(f"{examples}: {key} must be a list; or delete the file")
    extra = [{**item, "example": True} for item in sample.get(key, []) if isinstance(item, dict)]
    if not extra:
        return data
    own = data.get(key) or []
    return {**data, key: [*own, *extra] if isinstance(own, list) else own}
