"""Replace files so that an interruption leaves each one either as it was or wholly new.

A record written half way (a crash, a full disk) is worse than no change: git
shows a truncated file, the build fails, and the answer that was being added
is lost with the lines after it. So new contents never go into a target file
directly. Each is written to a temporary file beside its target (the same
folder, so the same file system, where a rename is atomic), flushed to the disk
(fsync), and only when every one of them is written are they renamed over their
targets, and the folders flushed so that the renames themselves survive a
power cut.

What an interruption leaves:

- while the temporary files are written (a full disk, a write error, a crash):
  every target exactly as it was; the temporary files written so far are removed;
- while they are renamed (a crash between two renames): each target either
  as it was or wholly new, never mixed; `PartlyReplaced` says which are which.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

_TEMP_SUFFIX = ".huiyin-tmp"


class PartlyReplaced(Exception):
    """Renaming stopped part way: ``replaced`` are new, ``unchanged`` are as they were."""

    def __init__(self, replaced: list[Path], unchanged: list[Path], cause: BaseException):
        super().__init__(f"{len(replaced)} file(s) replaced, {len(unchanged)} unchanged: {cause}")
        self.replaced, self.unchanged, self.cause = replaced, unchanged, cause


def replace_files(contents: Mapping[Path, bytes]) -> None:
    """Give every path its new bytes: all temporary files first, then the renames."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in contents.items():
            staged.append((target, stage_file(target, data)))
    except BaseException:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        raise
    replaced: list[Path] = []
    try:
        for target, temporary in staged:
            rename(temporary, target)
            replaced.append(target)
    except BaseException as error:
        for _target, temporary in staged[len(replaced):]:
            temporary.unlink(missing_ok=True)
        raise PartlyReplaced(replaced, [t for t, _ in staged[len(replaced):]], error) from error
    finally:
        _sync_folders({target.parent for target in replaced})


def write_file(target: Path, data: bytes) -> None:
    """One file, replaced atomically (a sheet a department is sent, say)."""
    replace_files({target: data})


def stage_file(target: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``target``, on disk; return its path.

    The temporary file takes the target's permissions (mkstemp makes it 0600,
    which would hide a record from a web server or a colleague's account).
    """
    real = target.resolve()  # a symbolic link stays a link: its target gets the new bytes
    handle, name = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=_TEMP_SUFFIX)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(real))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def rename(temporary: Path, target: Path) -> None:
    os.replace(temporary, target.resolve())


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folders(folders: set[Path]) -> None:
    for folder in folders:
        try:
            descriptor = os.open(folder.resolve(), os.O_RDONLY)
        except OSError:
            continue  # Windows cannot open a folder; its renames are durable on their own
        try:
            os.fsync(descriptor)
        except OSError:
            pass
        finally:
            os.close(descriptor)
