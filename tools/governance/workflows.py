"""The check names a repository's GitHub Actions workflows produce, for `governance check` to
verify ``review.required_checks`` against (a required check nobody produces blocks every
pull request for ever).

GitHub names a job's check after its ``name:`` (the job's id without one); a matrix job
gets one check per combination, ``NAME (v1, v2)``, unless its name already uses the matrix;
a job that calls a reusable workflow gives ``CALLER / CALLEE`` for each job of the called
workflow. Names built from other expressions are matched as patterns (``*`` for each).
"""

from __future__ import annotations

import fnmatch
import itertools
import json
import re
from pathlib import Path

import yaml

from ..errors import UserError, brief

WORKFLOWS = Path(".github") / "workflows"
_EXPR = re.compile(r"\$\{\{.*?\}\}")
MAX_DEPTH = 4  # reusable workflows may nest four levels (GitHub's limit)


def _load(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"{path}: cannot read the workflow ({brief(exc)})") from None
    return data if isinstance(data, dict) else {}


def _matrix_suffixes(job: dict) -> list[str]:
    """The ``(v1, v2)`` suffixes of a matrix job: one per combination of plain lists, with
    ``include`` entries added; ``*`` where the matrix comes from an expression."""
    matrix = (job.get("strategy") or {}).get("matrix")
    if not matrix:
        return [""]
    if not isinstance(matrix, dict):
        return [" (*)"]
    axes = {k: v for k, v in matrix.items() if k not in ("include", "exclude")}
    if any(not isinstance(v, list) for v in axes.values()):
        return [" (*)"]
    combos = [dict(zip(axes, values, strict=True)) for values in itertools.product(*axes.values())]
    excluded = [e for e in matrix.get("exclude") or [] if isinstance(e, dict)]
    combos = [c for c in combos if not any(e.items() <= c.items() for e in excluded)]
    if matrix.get("include"):  # include adds or extends combinations: match any suffix
        return [" (*)"]
    return [f" ({', '.join(str(v) for v in c.values())})" if c else "" for c in combos] or [""]


def _job_names(root: Path, workflow: dict, depth: int = 0) -> list[str]:
    names: list[str] = []
    for job_id, job in (workflow.get("jobs") or {}).items():
        if not isinstance(job, dict):
            continue
        name = str(job.get("name") or job_id)
        suffixes = [""] if "matrix." in name else _matrix_suffixes(job)
        base = [_EXPR.sub("*", name) + s for s in suffixes]
        uses = job.get("uses")
        if isinstance(uses, str):  # a reusable workflow: its jobs, under this job's name
            local = uses.startswith(("./", "$/"))  # this repository's own, either spelling
            if local and depth < MAX_DEPTH:
                called = _job_names(root, _load(root / uses[2:].split("@")[0]), depth + 1)
            else:
                called = ["*"]
            names += [f"{b} / {c}" for b in base for c in called]
        else:
            names += base
    return names


def check_names(root: Path) -> list[str]:
    """Every check name (or pattern) the workflows under ``.github/workflows`` produce, for
    pull requests or otherwise; reusable workflows alone (``on: workflow_call``) give none."""
    folder = root / WORKFLOWS
    names: list[str] = []
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        workflow = _load(path)
        triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as true
        keys = triggers if isinstance(triggers, list | dict) else [triggers]
        if list(keys) == ["workflow_call"]:
            continue
        names += _job_names(root, workflow)
    return list(dict.fromkeys(names))


def produced(check: str, names: list[str]) -> bool:
    return any(check == n or ("*" in n and fnmatch.fnmatchcase(check, n)) for n in names)


# --- the reusable workflows' defaults (what `rename` and `release` keep true) -----------------

REUSABLE = "reusable-*.yml"


def _default_line(name: str) -> re.Pattern[str]:
    """The ``default:`` line of the input ``name`` of a ``workflow_call``."""
    return re.compile(
        rf"(^ +{re.escape(name)}:\n(?:(?! +default:).*\n)*? +default: )(\"[^\"\n]*\"|\S*)$",
        re.MULTILINE,
    )


def input_default(text: str, name: str) -> str | None:
    m = _default_line(name).search(text)
    return m.group(2).strip('"') if m else None


def set_input_default(text: str, name: str, value: str) -> str:
    return _default_line(name).sub(lambda m: m.group(1) + json.dumps(value), text)


def reusable(root: Path) -> list[Path]:
    return sorted((root / WORKFLOWS).glob(REUSABLE))
