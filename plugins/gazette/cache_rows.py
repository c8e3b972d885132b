"""What the sqlite caches share: after a build, only the rows it used are kept."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def keep_only(db: sqlite3.Connection, table: str, column: str, keys: Iterable[str]) -> None:
    """Delete the rows of `table` whose `column` is not among `keys`: what a build did not use (a document
    edited, gone or no longer public) does not stay in the cache file. `table` and `column` are the
    caller's constants, never input."""
    used = f"used_{table}"
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {used} (key TEXT PRIMARY KEY)")
    db.executemany(f"INSERT OR IGNORE INTO {used} VALUES (?)", ((k,) for k in keys))
    db.execute(f"DELETE FROM {table} WHERE {column} NOT IN (SELECT key FROM {used})")
