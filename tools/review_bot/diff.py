"""Unified diffs: split a whole ``git diff`` into files, and hunks into line numbers."""

from __future__ import annotations

import re

from ..review_bot.facts import ChangedFile, Hunk

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def parse_hunks(patch: str) -> list[Hunk]:
    hunks: list[Hunk] = []
    added: list[int] = []
    context: list[int] = []
    start = count = line = 0
    in_hunk = False

    def close() -> None:
        if in_hunk:
            hunks.append(Hunk(start, count, tuple(added), tuple(context)))

    for raw in patch.split("\n"):
        m = HUNK.match(raw)
        if m:
            close()
            start = line = int(m.group(3))
            count = int(m.group(4)) if m.group(4) is not None else 1
            added, context, in_hunk = [], [], True
            continue
        if not in_hunk or not raw:
            continue
        tag = raw[0]
        if tag == "+":
            added.append(line)
            line += 1
        elif tag == " ":
            context.append(line)
            line += 1
        # "-" lines and "\ No newline at end of file" do not advance the new side
    close()
    return hunks


def _unquote(path: str) -> str:
    """git quotes a path with special characters C-style: "a\\tb"."""
    if len(path) >= 2 and path[0] == path[-1] == '"':
        raw = path[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1")
        return raw.decode("utf-8", "replace")
    return path


def _name(field: str) -> str:
    """The path of a ``---``/``+++`` line: git ends a name holding a space with a TAB."""
    if field.endswith("\t"):
        field = field[:-1]
    return _unquote(field)[2:]


def split_git_diff(text: str) -> list[ChangedFile]:
    """Files of a ``git diff -M --no-color`` output, with their patches."""
    files: list[ChangedFile] = []
    blocks = re.split(r"^diff --git ", text, flags=re.MULTILINE)
    for block in blocks[1:]:
        lines = block.split("\n")
        old = new = None
        status, binary = "modified", False
        body_start = None
        for i, line in enumerate(lines[1:], start=1):
            if line.startswith("@@"):
                body_start = i
                break
            if line.startswith("new file mode"):
                status = "added"
            elif line.startswith("deleted file mode"):
                status = "removed"
            elif line.startswith("rename from "):
                old, status = _unquote(line[12:]), "renamed"
            elif line.startswith("rename to "):
                new = _unquote(line[10:])
            elif line.startswith("--- ") and line != "--- /dev/null":
                old = old or _name(line[4:])
            elif line.startswith("+++ ") and line != "+++ /dev/null":
                new = _name(line[4:])
            elif line.startswith("Binary files "):
                binary = True
                m = re.match(r"Binary files (?:a/)?(.*?) and (?:b/)?(.*?) differ", line)
                if m:
                    old = old or (None if m.group(1) == "/dev/null" else m.group(1))
                    new = new or (None if m.group(2) == "/dev/null" else m.group(2))
        if new is None and old is None:
            # a pure rename or mode change: take the names from the header line
            m = re.match(r'"?a/(.*?)"? "?b/(.*?)"?$', lines[0])
            if m:
                old, new = m.group(1), m.group(2)
        if status == "removed":
            new = new or old
        patch = "\n".join(lines[body_start:]).rstrip("\n") if body_start is not None else None
        adds = dels = 0
        if patch:
            for line in patch.split("\n"):
                if line.startswith("+"):
                    adds += 1
                elif line.startswith("-"):
                    dels += 1
        files.append(
            ChangedFile(
                path=new or old or "",
                status=status,
                additions=adds,
                deletions=dels,
                previous_path=old if status == "renamed" else None,
                binary=binary,
                patch=patch,
            )
        )
    return files
