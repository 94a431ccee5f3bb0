"""Writing an export or report file safely: never over an existing file unless asked, never half-written.

The content goes to a temporary file beside the target, which replaces the target only once it is complete, so a
failure midway leaves the previous file (or no file) rather than a truncated one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from tawthiq.errors import ExportError
from tawthiq.files import holds_data


def check_target(path: Path, *, overwrite: bool) -> None:
    """Raise :class:`ExportError` when ``path`` cannot be written (exists without ``overwrite``, or no folder)."""
    if path.is_dir():
        raise ExportError(f"{path}: is a folder, not a file", hint="give a file name, e.g. --out report.html")
    if holds_data(path) and not overwrite:
        raise ExportError(f"{path}: already exists; not overwriting it", hint="pass --overwrite to replace it")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: the folder {path.parent} does not exist")


@contextmanager
def atomic_text_output(path: str | Path, *, overwrite: bool = False, newline: str | None = None) -> Iterator[TextIO]:
    """Open a UTF-8 text file to write ``path`` atomically; raises :class:`ExportError` when it cannot."""
    target = Path(path)
    check_target(target, overwrite=overwrite)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as e:
        raise ExportError(f"{target}: cannot write here ({e.strerror})") from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
        if holds_data(target) and not overwrite:  # appeared while we were writing
            raise ExportError(f"{target}: already exists; not overwriting it", hint="pass --overwrite to replace it")
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as e:
        raise ExportError(f"{target}: cannot write ({e.strerror})") from e
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    """The process umask (read by setting and restoring it), so the file gets the usual permissions."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
