"""A folder that fills up: a real tmpfs where this machine lets us mount one, else a file-size limit.

Mounting needs root (CAP_SYS_ADMIN). Where that is refused (a CI runner as a plain user), the
child process gets RLIMIT_FSIZE instead: the kernel then refuses to grow any file past the
limit, the same short write and failed write() that SQLite and the WARC writer meet on a full
disk (EFBIG there, ENOSPC on the tmpfs). Either way the failure is the operating system's.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass
class SmallDisk:
    path: Path
    size: int
    tmpfs: bool

    def limit(self) -> Callable[[], None] | None:
        """The preexec_fn for a child writing here: none on a tmpfs, the size limit otherwise."""
        if self.tmpfs:
            return None
        size = self.size
        return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    def grow(self, size: int) -> None:
        """Room again, as an operator who freed space would give it."""
        self.size = size
        if self.tmpfs:
            subprocess.run(["mount", "-o", f"remount,size={size}", str(self.path)], check=True)

    def fill(self) -> None:
        """No byte left: every write fails from the start."""
        if not self.tmpfs:
            self.size = 0
            return
        with (self.path / "ballast").open("wb") as ballast:
            try:
                while True:
                    ballast.write(b"\0" * 65536)
                    ballast.flush()
            except OSError:
                pass


@contextmanager
def small_disk(where: Path, size: int) -> Iterator[SmallDisk]:
    where.mkdir(parents=True, exist_ok=True)
    mounted = os.geteuid() == 0 and shutil.which("mount") is not None and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=False, capture_output=True).returncode == 0
    try:
        yield SmallDisk(where, size, mounted)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(where)], check=True)
