"""YAML reading and pydantic validation shared by the policy and the events files."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, ValidationError

from ..errors import UserError

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Unknown keys are errors; values are not silently coerced between types (``true`` is
    no number, ``'14'`` no count). Dates, times and links are written as text in YAML here
    and parsed from it: those fields alone say ``Parsed``."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Day = Annotated[date, Field(strict=False)]  # "2024-03-01" in the file
Moment = Annotated[datetime, Field(strict=False)] | Day  # "2026-04-18T10:00" or a date
Link = Annotated[AnyHttpUrl, Field(strict=False)]


MAX_BYTES = 1_000_000  # a policy is a few kilobytes; a megabyte is a mistake or an attack
MAX_NODES = 200_000  # values after expanding aliases (a billion laughs expands to 10⁹)
MAX_DEPTH = 64  # nesting; a policy needs five or six levels


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key written twice in one mapping (YAML would keep the last),
    a key that is not a plain value, nesting deeper than MAX_DEPTH and documents that expand
    (through aliases) to more than MAX_NODES values."""

    def compose_document(self):
        node = super().compose_document()
        _check_size(node)
        return node


def _check_size(root) -> None:
    """Count the values the document expands to, and its depth, without expanding it: each
    node's expanded size is computed once (aliases share nodes)."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            if len(stack) > MAX_NODES:
                raise _TooBig(node.start_mark, f"more than {MAX_NODES:,} values")
            continue
        sizes[id(node)] = 1 + sum(sizes.get(id(c), 0) for c in children)
        depths[id(node)] = 1 + max((depths.get(id(c), 0) for c in children), default=0)
        if sizes[id(node)] > MAX_NODES:
            raise _TooBig(node.start_mark, f"expands to more than {MAX_NODES:,} values (aliases)")
        if depths[id(node)] > MAX_DEPTH:
            raise _TooBig(node.start_mark, f"nested more than {MAX_DEPTH} levels deep")


class _TooBig(yaml.YAMLError):
    def __init__(self, mark, problem: str):
        super().__init__(problem)
        self.problem_mark = mark
        self.problem = problem


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problem = "a key must be a plain value, not a list or mapping"
            raise yaml.constructor.ConstructorError(None, None, problem, key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice in one mapping", mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates and times stay strings: pydantic parses them, with the file's own time-zone rules.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_CONFLICT = re.compile(r"^(<{7}|>{7})( |$)", re.MULTILINE)


def read_yaml(path: Path) -> Any:
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory, not a YAML file") from None
    if len(raw) > MAX_BYTES:
        raise UserError(
            f"{path}: larger than {MAX_BYTES:,} bytes; a policy or events file is a few "
            "kilobytes — check that this is the right file"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> Any:
    """YAML text as the loader reads it (duplicate keys, conflict markers and depth checked);
    ``path`` names it in the one-line errors."""
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        raise UserError(
            f"{path}: line {line}: merge-conflict markers (<<<<<<<, =======, >>>>>>>) from a git "
            "merge or `copier update`; keep the lines you want, delete the markers, then run "
            "again"
        )
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except RecursionError:
        raise UserError(f"{path}: nested too deeply to read (over {MAX_DEPTH} levels)") from None
    except yaml.reader.ReaderError as exc:
        raise UserError(
            f"{path}: character {exc.character!r} at position {exc.position} is not allowed in "
            "YAML; remove it"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise UserError(f"{path}: {where}not valid YAML ({problem})") from None


_UNION_TAGS = {"datetime", "date", "str", "int", "float", "bool", "url", "list", "dict"}


def field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and out and part in _UNION_TAGS:
            continue  # pydantic names the branch of a union it tried: not a key of the file
        elif isinstance(part, str) and not part.startswith(("function-", "function_")):
            if not re.fullmatch(r"[\w .@/+-]+", part):
                part = repr(part)  # a key with a line break or a control character
            out += f".{part}" if out else part
    return out or "(top level)"


def _describe(err: dict, model: type[BaseModel]) -> str:
    loc, kind, value = err["loc"], err["type"], err.get("input")
    where = field_path(loc)
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else "see the documentation"
        return f"{where}: unknown key; allowed keys here: {allowed}"
    if kind == "missing":
        return f"{where}: required but missing"
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if not loc or isinstance(value, dict):  # a cross-check: its message names the fields
        return message if not loc else f"{where}: {message}"
    return f"{where}: {message} (got {value!r})"


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` (for listing allowed keys)."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = info.annotation
        # unwrap list[X], dict[str, X], X | None
        while typing.get_origin(current) is not None:
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[-1] if args else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def validate(model: type[M], data: Any, path: Path) -> M:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise UserError(f"{path}: the top level must be a mapping of keys, got a {kind}")
    try:
        return model.model_validate(data)
    except RecursionError:
        raise UserError(f"{path}: nested too deeply to check") from None
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt key is the likeliest cause of a "missing" one: name it first.
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        more = exc.error_count() - 1
        tail = f" ({more} more error{'s' if more > 1 else ''} after this one)" if more else ""
        message = " ".join(f"{_describe(first, model)}{tail}".split())
        raise UserError(f"{path}: {message}") from None
