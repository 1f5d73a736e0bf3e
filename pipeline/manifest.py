"""`OUT/manifest`: what every input file became, so that a run can resume, skip and replace.

The manifest is an SQLite database (the standard library's `sqlite3`) in the
file `OUT/manifest`. One row per input file: its path, sha256, size and
modification time, its outcome (`document` or `error`, with the error code),
the ids of its records (`doc_id`, then every `task_id`), the file it
duplicates, and where its lines are in each output file (byte offset and
length in `documents.jsonl`, `tasks.jsonl` and `errors.jsonl`).

Why SQLite and not a JSON file rewritten whole: an archive has hundreds of
thousands to millions of files; a transaction writes only what changed,
atomically, and a lookup by path or `doc_id` needs no copy of the manifest in
memory.

How the outputs stay consistent with it after a kill -9 (or a power cut):
records are appended to the JSONL files and flushed as they complete; every
second or so the outputs are fsynced and one transaction stores the new
manifest rows *and* the committed length of each output file. Whatever a kill
leaves past those lengths belongs to files the manifest does not hold: the
next run cuts it off (`Outputs.open`) and processes those files again. So no
record is lost, and none is written twice.

Records of a changed (or pruned, or retried) file are removed by
*compaction*: each output is copied without the file's lines to
`NAME.compact`, fsynced; one transaction drops the rows, moves the offsets
and the lengths, and marks the compaction as pending; the copies then
replace the outputs (`os.replace`) and the mark is cleared. A run that finds
the mark set finishes the replacement; one that finds copies without the
mark deletes them.

Only the process running `vanban ingest` touches `OUT` (workers return their
records to it), under an exclusive lock on `OUT/.lock`.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from vanban.schemas import UsageError

FORMAT = "1"
OUTPUTS = ("documents.jsonl", "tasks.jsonl", "errors.jsonl")
DOCS, TASKS, ERRORS = range(3)
_COLS = ("doc", "task", "err")  # column prefixes of the three outputs

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    outcome TEXT NOT NULL,          -- 'document' or 'error'
    error TEXT,                     -- the error code of an error record
    doc_id TEXT,
    record_ids TEXT NOT NULL,       -- JSON list: doc_id, then every task_id
    duplicate_of TEXT,              -- path of the first file with the same doc_id
    needs_ocr INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,           -- order in which files were recorded
    doc_off INTEGER NOT NULL DEFAULT 0, doc_len INTEGER NOT NULL DEFAULT 0,
    task_off INTEGER NOT NULL DEFAULT 0, task_len INTEGER NOT NULL DEFAULT 0,
    err_off INTEGER NOT NULL DEFAULT 0, err_len INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS files_doc_id ON files (doc_id);
"""


@dataclass
class Entry:
    """One input file in the manifest."""

    path: str
    sha256: str | None
    size: int
    mtime_ns: int
    outcome: str  # "document" or "error"
    error: str | None
    doc_id: str | None
    record_ids: list[str]
    duplicate_of: str | None
    needs_ocr: bool
    spans: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]  # (offset, length) per output
    stamp: str = ""  # change time, device and inode (`runner.stamp`); "" when not known


class Manifest:
    """The SQLite manifest of one output folder; see the module doc."""

    def __init__(self, path: Path, work: Path | None = None) -> None:
        """`work` is the file of the run's working tables (files seen, to do,
        to drop), under OUT: a large run's tables stay out of the system's
        temporary folder (SQLite's TEMP tables go to `/var/tmp`, whose
        `SQLITE_TMPDIR` is read once, when `sqlite3` is imported). Without
        it they are kept in memory."""
        self.path = path
        try:
            # Autocommit mode: transactions are begun and committed explicitly.
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA synchronous=FULL")
            # What SQLite still keeps aside (statement journals, small sorts) in memory.
            self.db.execute("PRAGMA temp_store=MEMORY")
            if work is not None:
                work.unlink(missing_ok=True)
            self.db.execute(
                "ATTACH DATABASE ? AS work", (":memory:" if work is None else str(work),)
            )
            self.db.execute("PRAGMA work.journal_mode=MEMORY")
            self.db.execute("PRAGMA work.synchronous=OFF")
            self.db.executescript(_SCHEMA)
            columns = {row[1] for row in self.db.execute("PRAGMA main.table_info(files)")}
            if "stamp" not in columns:  # a manifest of an earlier version: "" is in doubt
                self.db.execute("ALTER TABLE files ADD COLUMN stamp TEXT NOT NULL DEFAULT ''")
            fmt = self.get_meta("format")
        except sqlite3.Error as exc:
            raise manifest_error(exc, path) from exc
        self.created = fmt is None  # a new manifest: outputs already there are replaced
        if fmt is None:
            self.set_meta("format", FORMAT)
        elif fmt != FORMAT:
            raise UsageError(
                "'{path}' was written by another version of vanban (manifest format {fmt}): "
                "run again with --force to rebuild the output folder.",
                path=path,
                fmt=fmt,
            )
        self._seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM files").fetchone()[0]

    # --- transactions and metadata --------------------------------------------------

    def begin(self) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    def close(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self.db.close()

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else _path(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def lengths(self) -> list[int]:
        return [int(self.get_meta(f"length:{name}") or 0) for name in OUTPUTS]

    def set_lengths(self, lengths: Sequence[int]) -> None:
        for name, n in zip(OUTPUTS, lengths, strict=True):
            self.set_meta(f"length:{name}", str(n))

    # --- rows ------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM files").fetchone()[0])

    def totals(self) -> tuple[int, int, int]:
        """(documents, tasks, errors) held in the outputs: every file recorded, in
        this run or an earlier one."""
        docs, tasks, errors = self.db.execute(
            "SELECT COALESCE(SUM(outcome = 'document'), 0),"
            " COALESCE(SUM(CASE WHEN outcome = 'document'"
            " THEN json_array_length(record_ids) - 1 ELSE 0 END), 0),"
            " COALESCE(SUM(outcome = 'error'), 0) FROM files"
        ).fetchone()
        return int(docs), int(tasks), int(errors)

    def get(self, path: str) -> Entry | None:
        row = self.db.execute(
            "SELECT path, sha256, size, mtime_ns, outcome, error, doc_id, record_ids,"
            " duplicate_of, needs_ocr, doc_off, doc_len, task_off, task_len, err_off, err_len,"
            " stamp FROM files WHERE path = ?",
            (_key(path),),
        ).fetchone()
        if row is None:
            return None
        return Entry(
            path=_path(row[0]),
            sha256=row[1],
            size=row[2],
            mtime_ns=row[3],
            outcome=row[4],
            error=row[5],
            doc_id=row[6],
            record_ids=json.loads(row[7]),
            duplicate_of=None if row[8] is None else _path(row[8]),
            needs_ocr=bool(row[9]),
            spans=((row[10], row[11]), (row[12], row[13]), (row[14], row[15])),
            stamp=row[16],
        )

    def put(self, e: Entry) -> None:
        self._seq += 1
        (d_off, d_len), (t_off, t_len), (r_off, r_len) = e.spans
        self.db.execute(
            "INSERT OR REPLACE INTO files (path, sha256, size, mtime_ns, outcome, error, doc_id,"
            " record_ids, duplicate_of, needs_ocr, seq, doc_off, doc_len, task_off, task_len,"
            " err_off, err_len, stamp)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _key(e.path),
                e.sha256,
                e.size,
                e.mtime_ns,
                e.outcome,
                e.error,
                e.doc_id,
                json.dumps(e.record_ids),
                None if e.duplicate_of is None else _key(e.duplicate_of),
                int(e.needs_ocr),
                self._seq,
                d_off,
                d_len,
                t_off,
                t_len,
                r_off,
                r_len,
                e.stamp,
            ),
        )

    def touch(self, path: str, size: int, mtime_ns: int, stamp: str = "") -> None:
        """An unchanged file seen with another modification time or stamp (copied, touched)."""
        self.db.execute(
            "UPDATE files SET size = ?, mtime_ns = ?, stamp = ? WHERE path = ?",
            (size, mtime_ns, stamp, _key(path)),
        )

    def holder(self, doc_id: str) -> str | None:
        """The first file recorded with the letter `doc_id`: the one not marked a duplicate.

        When that file's records were dropped (it changed, or was pruned), the
        next file with the letter is recorded as a first again; the others
        keep naming the file that was first when they were written.
        """
        row = self.db.execute(
            "SELECT path FROM files WHERE doc_id = ? AND duplicate_of IS NULL ORDER BY seq LIMIT 1",
            (doc_id,),
        ).fetchone()
        return None if row is None else _path(row[0])

    def reset(self) -> None:
        """Forget every file (the outputs are cut to nothing by the caller)."""
        self.db.execute("DELETE FROM files")
        self.set_lengths([0, 0, 0])
        self._seq = 0

    # --- the run's working tables -------------------------------------------------------

    def start_plan(self) -> None:
        """Temporary tables of one run: files seen, files to process, rows to drop."""
        self.db.executescript(
            """
            DROP TABLE IF EXISTS work.seen;
            DROP TABLE IF EXISTS work.todo;
            DROP TABLE IF EXISTS work.dropped;
            CREATE TABLE work.seen (path TEXT PRIMARY KEY);
            CREATE TABLE work.todo (n INTEGER PRIMARY KEY, path TEXT NOT NULL, size INTEGER);
            CREATE TABLE work.dropped (path TEXT PRIMARY KEY);
            """
        )

    def see(self, path: str) -> bool:
        """Mark `path` as found in this run; False when it was found already."""
        cur = self.db.execute("INSERT OR IGNORE INTO work.seen (path) VALUES (?)", (_key(path),))
        return cur.rowcount == 1

    def add_todo(self, path: str, size: int | None) -> None:
        self.db.execute("INSERT INTO work.todo (path, size) VALUES (?, ?)", (_key(path), size))

    def drop(self, path: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO work.dropped (path) VALUES (?)", (_key(path),))

    def unseen(self) -> int:
        """Recorded files that this run did not find."""
        return int(
            self.db.execute(
                "SELECT COUNT(*) FROM files WHERE path NOT IN (SELECT path FROM work.seen)"
            ).fetchone()[0]
        )

    def drop_unseen(self, keep_under: Sequence[str] = ()) -> int:
        """Drop the files not seen in this walk, except those below a folder of
        `keep_under` (one that could not be read: its files were not seen)."""
        if not keep_under:
            cur = self.db.execute(
                "INSERT OR IGNORE INTO work.dropped (path)"
                " SELECT path FROM files WHERE path NOT IN (SELECT path FROM work.seen)"
            )
            return cur.rowcount
        kept = tuple(k.rstrip(os.sep) + os.sep for k in keep_under)
        unseen = [
            key
            for (key,) in self.db.execute(
                "SELECT path FROM files WHERE path NOT IN (SELECT path FROM work.seen)"
            )
            if not _path(key).startswith(kept)
        ]
        before = self.db.total_changes
        self.db.executemany(
            "INSERT OR IGNORE INTO work.dropped (path) VALUES (?)", [(k,) for k in unseen]
        )
        return self.db.total_changes - before

    def drop_duplicates_of_dropped(self) -> int:
        """Files found in this run that are duplicates of a dropped file are processed
        again too, so that `duplicate_of` always names a file that holds the letter."""
        self.db.execute("DROP TABLE IF EXISTS work.again")
        self.db.execute(
            "CREATE TABLE work.again AS SELECT path, size FROM files"
            " WHERE duplicate_of IN (SELECT path FROM work.dropped)"
            " AND path IN (SELECT path FROM work.seen)"
            " AND path NOT IN (SELECT path FROM work.dropped) ORDER BY seq"
        )
        self.db.execute("INSERT INTO work.todo (path, size) SELECT path, size FROM work.again")
        self.db.execute("INSERT OR IGNORE INTO work.dropped SELECT path FROM work.again")
        return int(self.db.execute("SELECT COUNT(*) FROM work.again").fetchone()[0])

    def todo_count(self) -> tuple[int, int]:
        n, size = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM work.todo"
        ).fetchone()
        return int(n), int(size)

    def todo(self, chunk: int = 1000) -> Iterator[tuple[str, int]]:
        """The files to process, in the order they were found; read in chunks."""
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT n, path, COALESCE(size, 0) FROM work.todo WHERE n > ? ORDER BY n LIMIT ?",
                (last, chunk),
            ).fetchall()
            if not rows:
                return
            for n, path, size in rows:
                last = n
                yield _path(path), size

    def dropped_count(self) -> int:
        return int(
            self.db.execute(
                "SELECT COUNT(*) FROM files WHERE path IN (SELECT path FROM work.dropped)"
            ).fetchone()[0]
        )

    # --- compaction ------------------------------------------------------------------------

    def compact(self, out: Path) -> int:
        """Remove the lines of the dropped files from the outputs; see the module doc.

        Returns how many files' records were removed.
        """
        removed = self.dropped_count()
        if removed == 0:
            self.db.execute("DELETE FROM work.dropped")
            return 0
        lengths = self.lengths()
        rewrite = []
        for k, col in enumerate(_COLS):
            (dead,) = self.db.execute(
                f"SELECT COALESCE(SUM({col}_len), 0) FROM files"
                " WHERE path IN (SELECT path FROM work.dropped)"
            ).fetchone()
            if dead:
                rewrite.append(k)
        self.db.executescript(
            "DROP TABLE IF EXISTS work.moved;"
            " CREATE TABLE work.moved (k INTEGER, path TEXT, off INTEGER,"
            " PRIMARY KEY (k, path));"
        )
        for k in rewrite:
            lengths[k] = self._copy_live(out, k)
        self.begin()
        for k in rewrite:
            col = _COLS[k]
            self.db.execute(
                f"UPDATE files SET {col}_off = (SELECT off FROM work.moved m"
                " WHERE m.k = ? AND m.path = files.path)"
                " WHERE path IN (SELECT path FROM work.moved WHERE k = ?)",
                (k, k),
            )
        self.db.execute("DELETE FROM files WHERE path IN (SELECT path FROM work.dropped)")
        self.set_lengths(lengths)
        self.set_meta("compacting", "1")
        self.commit()
        finish_compaction(self, out)
        self.db.execute("DELETE FROM work.dropped")
        self.db.execute("DROP TABLE work.moved")
        return removed

    def _copy_live(self, out: Path, k: int) -> int:
        """Copy output `k` without the dropped files' lines to `NAME.compact`."""
        col = _COLS[k]
        src_path = out / OUTPUTS[k]
        # In offset order through a table keyed by the offset, in the work file:
        # `ORDER BY` would sort every row in memory.
        self.db.executescript(
            "DROP TABLE IF EXISTS work.live;"
            " CREATE TABLE work.live (off INTEGER PRIMARY KEY, path TEXT, len INTEGER);"
        )
        self.db.execute(
            f"INSERT INTO work.live (off, path, len) SELECT {col}_off, path, {col}_len FROM files"
            f" WHERE {col}_len > 0 AND path NOT IN (SELECT path FROM work.dropped)"
        )
        rows = self.db.execute("SELECT path, off, len FROM work.live ORDER BY off")
        moved: list[tuple[int, str, int]] = []
        with src_path.open("rb") as src, (out / (OUTPUTS[k] + ".compact")).open("wb") as dst:
            # Adjacent live lines form runs, each copied at once.
            run_start = run_end = run_at = 0  # the run in `src`, and where it goes in `dst`
            for path, off, length in rows:
                if run_end != off or run_end == run_start:
                    _copy(src, dst, run_start, run_end)
                    run_start, run_end, run_at = off, off, dst.tell()
                moved.append((k, path, run_at + off - run_start))
                run_end += length
                if len(moved) >= 10_000:
                    self._moved(moved)
            _copy(src, dst, run_start, run_end)
            self._moved(moved)
            dst.flush()
            os.fsync(dst.fileno())
            return dst.tell()

    def _moved(self, moved: list[tuple[int, str, int]]) -> None:
        self.db.executemany("INSERT INTO work.moved (k, path, off) VALUES (?, ?, ?)", moved)
        moved.clear()


def _copy(src: IO[bytes], dst: IO[bytes], start: int, end: int) -> None:
    if end <= start:
        return
    src.seek(start)
    left = end - start
    while left:
        block = src.read(min(left, 1 << 20))
        if not block:
            raise OSError(f"'{src.name}' is shorter than its manifest says")
        dst.write(block)
        left -= len(block)


def finish_compaction(manifest: Manifest, out: Path) -> None:
    """Replace the outputs by their compacted copies when a compaction was committed."""
    if manifest.get_meta("compacting") == "1":
        for name in OUTPUTS:
            copy = out / (name + ".compact")
            if copy.exists():
                os.replace(copy, out / name)
        _fsync_dir(out)
        manifest.begin()
        manifest.set_meta("compacting", "0")
        manifest.commit()
    for name in OUTPUTS:  # copies of a compaction that was never committed
        (out / (name + ".compact")).unlink(missing_ok=True)


def manifest_error(exc: sqlite3.Error, path: Path) -> UsageError:
    """What to do about an error of the manifest's database, in one line.

    Only a damaged manifest is rebuilt by `--force`; a full disk, a folder or
    file that cannot be written fails again the same way after it."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name in {"SQLITE_CORRUPT", "SQLITE_NOTADB"} or name.startswith("SQLITE_CORRUPT_"):
        return UsageError(
            "'{path}' is not a vanban manifest or is damaged ({reason}): "
            "run again with --force to rebuild the output folder.",
            path=path,
            reason=exc,
        )
    if name == "SQLITE_FULL" or "disk is full" in str(exc):
        return UsageError(
            "Cannot write to '{path}': the disk is full. Free some space or choose "
            "another --out folder, then run the same command again to resume.",
            path=path,
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return UsageError(
            "Cannot write to '{path}' ({reason}): make the output folder and its manifest "
            "writable or choose another --out folder, then run the same command again.",
            path=path,
            reason=exc,
        )
    return UsageError(
        "The manifest '{path}' failed ({reason}): check the disk and the output folder, "
        "then run the same command again to resume.",
        path=path,
        reason=exc,
    )


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class OutputLock:
    """An exclusive lock on `OUT/.lock`, released by the kernel when the process dies."""

    def __init__(self, out: Path) -> None:
        self._f = (out / ".lock").open("a")
        try:
            fcntl.flock(self._f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._f.close()
            raise UsageError(
                "Another `vanban ingest` is writing to '{out}': wait for it to finish "
                "or choose another --out folder.",
                out=out,
            ) from exc

    def release(self) -> None:
        fcntl.flock(self._f.fileno(), fcntl.LOCK_UN)
        self._f.close()


class Outputs:
    """The three JSONL files, appended to; offsets and lengths tracked for the manifest."""

    def __init__(self, out: Path, manifest: Manifest) -> None:
        self.out = out
        self.manifest = manifest
        self.recovered = 0  # bytes past the committed lengths (a killed run's), cut off
        finish_compaction(manifest, out)
        committed = manifest.lengths()
        sizes = [_size(out / name) for name in OUTPUTS]
        # An output cut or deleted by hand: its records cannot be trusted.
        self.damaged = any(s < c for s, c in zip(sizes, committed, strict=True))
        if self.damaged:
            manifest.begin()
            manifest.reset()
            manifest.commit()
            committed = [0, 0, 0]
        self.files: list[IO[bytes]] = []
        for name, size, length in zip(OUTPUTS, sizes, committed, strict=True):
            f = (out / name).open("ab")
            if size > length:
                f.truncate(length)
                self.recovered += size - length
            self.files.append(f)
        self.lengths = list(committed)

    def truncate_all(self) -> None:
        for f in self.files:
            f.truncate(0)
        self.lengths = [0, 0, 0]

    def write(self, k: int, lines: Sequence[str]) -> tuple[int, int]:
        """Append `lines` to output `k`; their (offset, length)."""
        if not lines:
            return (self.lengths[k], 0)
        data = "".join(jsonl_safe(line) + "\n" for line in lines).encode("utf-8")
        self.files[k].write(data)
        off = self.lengths[k]
        self.lengths[k] += len(data)
        return (off, len(data))

    def flush(self) -> None:
        for f in self.files:
            f.flush()

    def sync(self) -> None:
        """Flush and fsync the outputs: what the manifest is about to commit is on disk."""
        for f in self.files:
            f.flush()
            os.fsync(f.fileno())

    def close(self) -> None:
        for f in self.files:
            f.close()


# Line separators other than \n and C1 controls, which JSON may hold raw in a
# string: a reader that splits on Unicode line boundaries (Python's
# `splitlines`) would cut a record there. Escaped, the record is the same JSON.
_UNSAFE_IN_JSONL = re.compile("[\x80-\x9f\u2028\u2029]")


def jsonl_safe(line: str) -> str:
    """One JSON record as a line that every line splitter reads whole."""
    return _UNSAFE_IN_JSONL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", line)


def _key(path: str) -> str:
    """A path as SQLite text. A file name whose bytes are not UTF-8 comes from
    `os.walk` with surrogates, which SQLite cannot store: such a path is kept
    as NUL (never in a path) and the hex of its bytes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return "\0" + os.fsencode(path).hex()


def _path(key: str) -> str:
    return os.fsdecode(bytes.fromhex(key[1:])) if key.startswith("\0") else key


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
