"""Tell which process this is without a system call on every request."""

from __future__ import annotations

import os

# os.getpid() is a system call each time (glibc no longer caches it); the hot
# paths ask on every request whether gunicorn forked them since they last
# looked, so the answer is kept here and renewed in every forked child.
_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


def pid() -> int:
    """Return this process's id, as os.getpid() would."""
    return _pid
