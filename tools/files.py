"""Writing files so that a reader never sees half of one, and nothing else is harmed."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> None:
    """Write beside the target, flush to disk, then rename over it: the old file or the new,
    never a mix. A failed write leaves no temporary file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):  # keep the mode of the file it replaces
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # the rename itself, on disk
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text(path: Path, text: str) -> None:
    """Write an output the user named. A regular file (or a new one) is replaced atomically;
    a symbolic link is followed and its target replaced, the link kept; a FIFO, a device or
    another special file is written to directly, never replaced by a regular file."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "is a directory; give a file name", str(path))
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
        return
    write_text_atomic(target, text)
