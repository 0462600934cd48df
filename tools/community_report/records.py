"""Plain records: what the sources produce and the metrics read. No I/O, no logic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str
    added: int | None  # None for a binary file
    deleted: int | None

    @property
    def lines(self) -> int:
        return (self.added or 0) + (self.deleted or 0)


@dataclass(slots=True)  # not frozen: built 100,000s of times, frozen init costs 2×
class Commit:
    sha: str
    author: str  # the contributor's identity: a GitHub login, or the email after .mailmap
    name: str
    email: str
    authored_at: datetime  # UTC
    is_merge: bool
    is_bot: bool
    files: tuple[FileChange, ...] | None = None  # None: not read (outside the detail range)
    coauthors: tuple[str, ...] = ()  # identities credited by Co-authored-by trailers


@dataclass(frozen=True, slots=True)
class EarlierCommits:
    """One (name, email)'s commits authored before the detail range, in one record instead of
    one a commit: what the metrics read of such commits (first and last contribution, the
    all-time count, the last commit) and nothing more. Commits carrying Co-authored-by
    trailers are never summarised (they stay Commit records)."""

    author: str  # the identity, as Commit.author
    name: str
    email: str
    is_bot: bool
    commits: int  # non-merge commits
    first: datetime | None  # the first and last of them (None when there are none)
    last: datetime | None
    merges: int
    latest: datetime  # the last commit of any kind


@dataclass(frozen=True, slots=True)
class Issue:
    """An issue or a pull request (GitHub lists both as issues)."""

    number: int
    author: str
    author_is_bot: bool
    author_association: str  # OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, FIRST_TIME_CONTRIBUTOR…
    title: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    is_pull_request: bool
    merged_at: datetime | None = None
    draft: bool = False
    labels: tuple[str, ...] = ()
    repo: str = ""  # owner/name, set only where records of several repositories are mixed

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on an issue or pull request, or a pull-request review comment."""

    id: int
    number: int  # the issue or pull request it belongs to
    author: str
    author_is_bot: bool
    created_at: datetime
    nudge: bool = False  # carries the hidden marker of a nudge (``governance nudge``)
    repo: str = ""  # as Issue.repo


@dataclass(frozen=True, slots=True)
class Review:
    number: int  # the pull request
    author: str
    author_is_bot: bool
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
    submitted_at: datetime
    repo: str = ""  # as Issue.repo


@dataclass(frozen=True, slots=True)
class ItemEvent:
    """A change of an issue's or pull request's state that its timeline records: a label
    added or removed, a pull request turned into a draft or marked ready for review."""

    number: int
    kind: str  # labeled, unlabeled, convert_to_draft, ready_for_review
    at: datetime
    label: str = ""  # for labeled and unlabeled
    repo: str = ""  # as Issue.repo


@dataclass(frozen=True, slots=True)
class Discussion:
    """A GitHub Discussion: when it was opened, first answered by someone else, and when an
    answer was chosen (answerable categories only)."""

    number: int
    author: str
    author_is_bot: bool
    created_at: datetime
    category: str
    answerable: bool
    first_response_at: datetime | None  # the first comment by someone else, not a bot
    answered_at: datetime | None  # when the answer was chosen
    repo: str = ""


@dataclass(frozen=True, slots=True)
class BlameLines:
    """How many lines of a file, as it stands at HEAD, an identity last changed."""

    path: str
    who: str
    lines: int


@dataclass(frozen=True, slots=True)
class Tag:
    """A git tag: a release, as most projects mark one."""

    name: str
    created_at: datetime  # the tagger's date for an annotated tag, else its commit's (UTC)


@dataclass(slots=True)
class Activity:
    """Everything a source read, for one repository."""

    source: str  # "git:/path" or "github:owner/name"
    project: str | None = None  # the project's own name (its identity.toml), where it has one
    commits: list[Commit] = field(default_factory=list)
    # commits before a cutoff, summarised a (name, email) (read_commits' ``summary_before``)
    earlier: list[EarlierCommits] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    requests: int = 0  # GitHub API requests made
    not_modified: int = 0  # of which answered 304 from the cache's ETags
    names: dict[str, str] = field(default_factory=dict)  # identity → display name
    notes: list[str] = field(default_factory=list)  # what the source could not read, and why
    reviews_read: bool = True  # False: reviews were not read (GraphQL needs a token)
    item_events: list[ItemEvent] = field(default_factory=list)  # labels and drafts (GraphQL)
    discussions: list[Discussion] | None = None  # None: not read (git, or no token)
    popularity: list[tuple[str, str, datetime]] | None = None  # (star|fork, login, when)
    merged_identities: list[dict] = field(default_factory=list)  # {"who", "names", "emails"}
    identities: dict[tuple[str, str], str] = field(default_factory=dict)  # (name, email) → who
    blame: list[BlameLines] | None = None  # lines at HEAD by author (--blame), else not read
    tags: list[Tag] | None = None  # the repository's tags (git sources), else not read
