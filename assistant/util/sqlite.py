"""The SQLite plumbing the two small stores share (``leerkring``, ``feedback``): one connection per
call in autocommit mode with a busy timeout, and an explicit ``BEGIN IMMEDIATE`` transaction that
commits when its block ends and rolls back on any exception."""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def connect(path: Path, timeout: float, foreign_keys: bool = False) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        if foreign_keys:
            con.execute("PRAGMA foreign_keys = ON")
        con.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction on ``con``: committed at the end, rolled back on any exception."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
