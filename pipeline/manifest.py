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

Only the process running `vanban ingest` writes to `OUT` (workers return their
records to it), under an exclusive lock on `OUT/.lock`. Another program may
still write to the outputs (the lock binds only vanban): each row also holds
a check of its lines in each output (`span_sum`), so that a compaction copies
only lines it has verified, and finds lines that moved (`SpanReader`);
`vanban.pipeline.outputs` checks the outputs when a run opens them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
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
# Columns added since the first format: (name, declaration). A manifest of an
# earlier version gets them empty, which means "not known".
_ADDED = (
    ("stamp", "TEXT NOT NULL DEFAULT ''"),
    ("doc_sum", "TEXT NOT NULL DEFAULT ''"),
    ("task_sum", "TEXT NOT NULL DEFAULT ''"),
    ("err_sum", "TEXT NOT NULL DEFAULT ''"),
)

Span = tuple[int, int, str]  # offset, length and `span_sum` of a file's lines in one output


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
    spans: tuple[Span, Span, Span]  # (offset, length, sum) per output
    stamp: str = ""  # change time, device and inode (`runner.stamp`); "" when not known
    seq: int = 0  # order in which it was recorded (0 before `put`)


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
            # Files to drop, and files whose lines were found nowhere (`compact`).
            self.db.executescript(
                "CREATE TABLE IF NOT EXISTS work.dropped (path TEXT PRIMARY KEY);"
                " CREATE TABLE IF NOT EXISTS work.lost (path TEXT PRIMARY KEY);"
            )
            fmt = self._set_up()
        except sqlite3.Error as exc:
            raise manifest_error(exc, path) from exc
        self.created = fmt is None  # a new manifest: outputs already there are replaced
        if fmt is not None and fmt != FORMAT:
            raise UsageError(
                "'{path}' was written by another version of vanban (manifest format {fmt}): "
                "run again with --force to rebuild the output folder.",
                path=path,
                fmt=fmt,
            )
        self._seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM files").fetchone()[0]
        self._lost: list[str] = []  # files whose records compactions lost, not yet read again

    def _set_up(self) -> str | None:
        """The tables made, the columns added since the first format, and the
        format noted, in one transaction (each statement on its own would be a
        commit, a few disk syncs, of every new output folder): the format
        found, None for a new manifest."""
        self.db.executescript("BEGIN IMMEDIATE;" + _SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA main.table_info(files)")}
        for name, declared in _ADDED:
            if name not in columns:  # a manifest of an earlier version: "" is in doubt
                self.db.execute(f"ALTER TABLE files ADD COLUMN {name} {declared}")
        fmt = self.get_meta("format")
        if fmt is None:
            self.set_meta("format", FORMAT)
        self.commit()
        return fmt

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

    def touched(self, k: int) -> str | None:
        """What another program was seen doing to output `k` during a run, until
        the output is rebuilt (`compact` with `touched`)."""
        return self.get_meta(f"touched:{OUTPUTS[k]}")

    def set_touched(self, k: int, why: str) -> None:
        if self.touched(k) is None:
            self.set_meta(f"touched:{OUTPUTS[k]}", why)

    def last_span(self, k: int, scan: bool = False) -> Span | None:
        """The lines that end output `k`, as the last commit noted them (`set_last`);
        with `scan`, from the rows (a scan of the table)."""
        if not scan:
            noted = self.get_meta(f"last:{OUTPUTS[k]}")
            if not noted:
                return None
            off, length, check = noted.split(" ")
            return int(off), int(length), check
        col = _COLS[k]
        row = self.db.execute(
            f"SELECT {col}_off, {col}_len, {col}_sum FROM files WHERE {col}_len > 0"
            f" ORDER BY {col}_off DESC LIMIT 1"
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def set_last(self, k: int, span: Span | None) -> None:
        if span is None:
            self.db.execute("DELETE FROM meta WHERE key = ?", (f"last:{OUTPUTS[k]}",))
        else:
            self.set_meta(f"last:{OUTPUTS[k]}", " ".join(map(str, span)))

    def live_spans(self, k: int, chunk: int = 10_000) -> Iterator[tuple[str, int, int, str]]:
        """Every row's lines in output `k` that are kept (not dropped, not lost), in
        offset order: (key, offset, length, sum). In chunks, through a table keyed
        by the offset in the work file: `ORDER BY` would sort every row in memory,
        and no statement stays open while the caller writes."""
        col = _COLS[k]
        # `execute`, not `executescript`, which would commit the caller's transaction.
        self.db.execute(f"DROP TABLE IF EXISTS work.live{k}")
        self.db.execute(
            f"CREATE TABLE work.live{k} (off INTEGER PRIMARY KEY, path TEXT, len INTEGER, sum TEXT)"
        )
        self.db.execute(
            f"INSERT INTO work.live{k} (off, path, len, sum)"
            f" SELECT {col}_off, path, {col}_len, {col}_sum FROM files WHERE {col}_len > 0"
            " AND path NOT IN (SELECT path FROM work.dropped)"
            " AND path NOT IN (SELECT path FROM work.lost)"
        )
        last = -1
        while True:
            rows = self.db.execute(
                f"SELECT off, path, len, sum FROM work.live{k} WHERE off > ? ORDER BY off LIMIT ?",
                (last, chunk),
            ).fetchall()
            if not rows:
                break
            for off, key, length, check in rows:
                last = off
                yield key, off, length, check
        self.db.execute(f"DROP TABLE work.live{k}")

    # --- rows ------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM files").fetchone()[0])

    def totals(self) -> tuple[int, int, int]:
        """(documents, tasks, errors) held in the outputs: every file recorded, in
        this run or an earlier one; tasks as `tasks.jsonl` holds them (a copy's once)."""
        docs, tasks, errors = self.db.execute(
            "SELECT COALESCE(SUM(outcome = 'document'), 0),"
            # A copy's tasks are its primary's: tasks.jsonl holds them once.
            " COALESCE(SUM(CASE WHEN outcome = 'document' AND duplicate_of IS NULL"
            " THEN json_array_length(record_ids) - 1 ELSE 0 END), 0),"
            " COALESCE(SUM(outcome = 'error'), 0) FROM files"
        ).fetchone()
        return int(docs), int(tasks), int(errors)

    def get(self, path: str) -> Entry | None:
        row = self.db.execute(
            "SELECT path, sha256, size, mtime_ns, outcome, error, doc_id, record_ids,"
            " duplicate_of, needs_ocr, doc_off, doc_len, task_off, task_len, err_off, err_len,"
            " stamp, doc_sum, task_sum, err_sum, seq FROM files WHERE path = ?",
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
            spans=(
                (row[10], row[11], row[17]),
                (row[12], row[13], row[18]),
                (row[14], row[15], row[19]),
            ),
            stamp=row[16],
            seq=row[20],
        )

    def put(self, e: Entry) -> None:
        self._seq += 1
        (d_off, d_len, d_sum), (t_off, t_len, t_sum), (r_off, r_len, r_sum) = e.spans
        self.db.execute(
            "INSERT OR REPLACE INTO files (path, sha256, size, mtime_ns, outcome, error, doc_id,"
            " record_ids, duplicate_of, needs_ocr, seq, doc_off, doc_len, task_off, task_len,"
            " err_off, err_len, stamp, doc_sum, task_sum, err_sum)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                d_sum,
                t_sum,
                r_sum,
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

    @property
    def last_seq(self) -> int:
        """The `seq` of the last file recorded: files recorded after it have larger ones."""
        return int(self._seq)

    def reset(self) -> None:
        """Forget every file (the outputs are cut to nothing by the caller)."""
        self.db.execute("DELETE FROM files")
        self.db.execute("DELETE FROM meta WHERE key LIKE 'touched:%' OR key LIKE 'last:%'")
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

    def take_lost(self) -> list[str]:
        """The files whose records a compaction of this run lost (to read again),
        each given once."""
        lost, self._lost = self._lost, []
        return lost

    def requeue(self, paths: Sequence[str], only: bool = False) -> int:
        """Process again, in this run, the files of `paths` that its walk found
        (their records were lost); with `only`, nothing else is left to do."""
        if only:
            self.db.execute("DELETE FROM work.todo")
        n = 0
        for path in paths:
            if self.db.execute("SELECT 1 FROM work.seen WHERE path = ?", (_key(path),)).fetchone():
                try:
                    size = os.stat(path).st_size
                except OSError:
                    size = 0
                self.add_todo(path, size)
                n += 1
        return n

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

    def compact(
        self, out: Path, touched: Collection[int] = (), keep: Path | None = None
    ) -> Compaction:
        """Remove the lines of the dropped files from the outputs; see the module doc.

        Every line copied is first verified against its row's sum, at its
        offset or, when lines were added or removed before it, where it moved
        to: a compaction never copies blind byte ranges. The outputs in
        `touched` (changed by another program) are rebuilt so, even with
        nothing dropped. A file whose lines are whole nowhere is *lost*: its
        rows and lines are removed, so that it is read again. An output that
        was not as the manifest says is kept, as it was, in `keep` (a folder
        made when needed) before it is replaced.
        """
        self.db.executescript(
            "DELETE FROM work.lost; DROP TABLE IF EXISTS work.moved;"
            " CREATE TABLE work.moved (k INTEGER, path TEXT, off INTEGER, PRIMARY KEY (k, path));"
        )
        result = Compaction(removed=self.dropped_count())
        # Outputs another program wrote to during the run are rebuilt too.
        said = {k: why for k in range(3) if (why := self.touched(k))}
        rewrite = set(touched) | set(said) | {k for k in range(3) if self._lines_of("dropped", k)}
        if not rewrite and result.removed == 0:
            self.db.execute("DELETE FROM work.dropped")
            return result
        lengths = self.lengths()
        for k in rewrite:  # bytes past the committed length: another program's, since opened
            if k not in said and file_size(out / OUTPUTS[k]) > lengths[k]:
                said[k] = "lines added after its last record"
        touched = set(touched) | set(said)
        result.reasons = {OUTPUTS[k]: why for k, why in said.items()}
        last: dict[int, Span | None] = {}
        misplaced = dict.fromkeys(touched, 0)
        copied_with = -1  # how many files were lost when the outputs were copied
        while self._count("lost") != copied_with:
            copied_with = self._count("lost")
            # Files found lost have lines in other outputs too, perhaps already copied.
            rewrite |= {k for k in range(3) if self._lines_of("lost", k)}
            for k in sorted(rewrite):
                lengths[k], last[k], moved = self._copy_live(out, k)
                misplaced[k] = max(misplaced.get(k, 0), moved)  # lost ones are not copied again
        result.lost = [_path(key) for (key,) in self.db.execute("SELECT path FROM work.lost")]
        self._lost += result.lost
        result.misplaced = {OUTPUTS[k]: n for k, n in misplaced.items() if n or k in touched}
        for name in result.misplaced:
            if keep is not None and (out / name).exists():
                keep.mkdir(parents=True, exist_ok=True)
                _keep_copy(out / name, keep / name)
                result.kept = keep
        self.begin()
        for k in rewrite:
            col = _COLS[k]
            self.db.execute(
                f"UPDATE files SET {col}_off = (SELECT off FROM work.moved m"
                " WHERE m.k = ? AND m.path = files.path)"
                " WHERE path IN (SELECT path FROM work.moved WHERE k = ?)",
                (k, k),
            )
            self.db.execute("DELETE FROM meta WHERE key = ?", (f"touched:{OUTPUTS[k]}",))
            self.set_last(k, last[k])
        self.db.execute(
            "DELETE FROM files WHERE path IN (SELECT path FROM work.dropped)"
            " OR path IN (SELECT path FROM work.lost)"
        )
        self.set_lengths(lengths)
        self.set_meta("compacting", "1")
        self.commit()
        finish_compaction(self, out)
        self.db.executescript(
            "DELETE FROM work.dropped; DELETE FROM work.lost; DROP TABLE work.moved;"
        )
        return result

    def _count(self, table: str) -> int:
        return int(self.db.execute(f"SELECT COUNT(*) FROM work.{table}").fetchone()[0])

    def _lines_of(self, table: str, k: int) -> bool:
        """Whether a file in `work.<table>` has lines in output `k`."""
        (n,) = self.db.execute(
            f"SELECT COALESCE(SUM({_COLS[k]}_len), 0) FROM files"
            f" WHERE path IN (SELECT path FROM work.{table})"
        ).fetchone()
        return bool(n)

    def _copy_live(self, out: Path, k: int) -> tuple[int, Span | None, int]:
        """Copy output `k`'s verified lines of the kept files to `NAME.compact`; the
        files whose lines are whole nowhere go to `work.lost`. Returns the copy's
        length, its last lines' span, and how many files' lines were not at their
        offset."""
        # One transaction for the work tables: each statement of its own would be one
        # transaction per row (most of the time of a compaction).
        self.begin()
        self.db.execute("DELETE FROM work.moved WHERE k = ?", (k,))
        moved: list[tuple[int, str, int]] = []
        lost: list[tuple[str]] = []
        last: Span | None = None
        with (
            SpanReader(self.db, out / OUTPUTS[k], k) as src,
            (out / (OUTPUTS[k] + ".compact")).open("wb", buffering=1 << 20) as dst,
        ):
            for key, off, length, check in self.live_spans(k):
                data = src.read(off, length, check)
                if data is None:
                    lost.append((key,))
                    continue
                last = (dst.tell(), length, check)
                moved.append((k, key, last[0]))
                dst.write(data)
                if len(moved) >= 10_000:
                    self._moved(moved)
            self._moved(moved)
            self.db.executemany("INSERT OR IGNORE INTO work.lost (path) VALUES (?)", lost)
            dst.flush()
            os.fsync(dst.fileno())
            size = dst.tell()
        self.commit()
        return size, last, src.misplaced

    def _moved(self, moved: list[tuple[int, str, int]]) -> None:
        self.db.executemany("INSERT INTO work.moved (k, path, off) VALUES (?, ?, ?)", moved)
        moved.clear()


@dataclass
class Compaction:
    """What a compaction did: files whose records were removed as asked
    (`removed`), files whose lines were whole nowhere and are read again
    (`lost`), outputs found otherwise than the manifest says (`misplaced`: how
    many files' lines had moved; `reasons`: what was seen, when known), the
    folder where those were kept as found."""

    removed: int = 0
    lost: list[str] = field(default_factory=list)
    misplaced: dict[str, int] = field(default_factory=dict)
    kept: Path | None = None
    reasons: dict[str, str] = field(default_factory=dict)  # what was seen, when known


def span_sum(data: bytes) -> str:
    """The check of one file's lines in one output (32 hex digits): a hash of
    the first line, to find the lines again when others were added or removed
    before them, then of all of them."""
    end = data.find(b"\n") + 1
    head = _hash(data[:end] if end else data)
    return head + (head if end in (0, len(data)) else _hash(data))


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=8).hexdigest()


class SpanReader:
    """Reads one output's lines back by a row's (offset, length, sum).

    The lines are taken at their offset when the sum matches there; else
    where a line whose hash is the sum's first half starts (an index of every
    line, made once, the first time it is needed), when the whole matches;
    else they are whole nowhere: None. A row of an earlier version without a
    sum is taken at its offset when it holds whole JSON lines."""

    def __init__(self, db: sqlite3.Connection, path: Path, k: int) -> None:
        self.db = db
        self.k = k
        self.misplaced = 0  # rows whose lines were not at their offset
        self._indexed = False
        try:
            self.f: IO[bytes] | None = path.open("rb", buffering=1 << 20)
        except FileNotFoundError:
            self.f = None

    def __enter__(self) -> SpanReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.f is not None:
            self.f.close()
        if self._indexed:
            self.db.execute(f"DROP TABLE IF EXISTS work.lines{self.k}")

    def at(self, off: int, length: int) -> bytes | None:
        if self.f is None or off < 0:
            return None
        if self.f.tell() != off:
            self.f.seek(off)
        data = self.f.read(length)
        return data if len(data) == length else None

    def lines_from(self, off: int) -> Iterator[bytes]:
        if self.f is not None:
            self.f.seek(off)
            yield from self.f

    def holds(self, off: int, length: int, check: str) -> bytes | None:
        """The lines at `off` when they are the row's."""
        data = self.at(off, length)
        if data is None:
            return None
        if check:
            return data if span_sum(data) == check else None
        whole = data.endswith(b"\n") and (off == 0 or self.at(off - 1, 1) == b"\n")
        return data if whole and _json_lines(data) else None

    def read(self, off: int, length: int, check: str) -> bytes | None:
        data = self.holds(off, length, check)
        if data is not None:
            return data
        self.misplaced += 1
        if not check or self.f is None:
            return None
        self._index()
        for (at,) in self.db.execute(
            f"SELECT off FROM work.lines{self.k} WHERE h = ?", (check[:16],)
        ).fetchall():
            data = self.at(at, length)
            if data is not None and span_sum(data) == check:
                return data
        return None

    def _index(self) -> None:
        if self._indexed or self.f is None:
            return
        self._indexed = True
        table = f"work.lines{self.k}"
        self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self.db.execute(f"CREATE TABLE {table} (h TEXT, off INTEGER)")
        self.f.seek(0)
        pos = 0
        rows: list[tuple[str, int]] = []
        for line in self.f:
            rows.append((_hash(line), pos))
            pos += len(line)
            if len(rows) >= 10_000:
                self.db.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows)
                rows.clear()
        self.db.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows)
        self.db.execute(f"CREATE INDEX {table}_h ON lines{self.k} (h)")


def _json_lines(data: bytes) -> bool:
    try:
        return all(isinstance(json.loads(x), dict) for x in data.splitlines())
    except ValueError:
        return False


def _keep_copy(src: Path, dst: Path) -> None:
    """`src` as it is now, at `dst`: a second name for the same bytes (the output
    is then replaced, not changed), or a copy where links cannot be made."""
    try:
        os.link(src, dst)
    except FileExistsError:
        pass
    except OSError:
        shutil.copyfile(src, dst)


def finish_compaction(manifest: Manifest, out: Path) -> None:
    """Replace the outputs by their compacted copies when a compaction was committed;
    what each replaced output now is (`stat_text`) is committed with the end mark."""
    if manifest.get_meta("compacting") == "1":
        replaced = []
        for name in OUTPUTS:
            copy = out / (name + ".compact")
            if copy.exists():
                os.replace(copy, out / name)
                replaced.append(name)
        _fsync_dir(out)
        manifest.begin()
        for name in replaced:
            manifest.set_meta(f"stat:{name}", stat_text(os.stat(out / name)))
        manifest.set_meta("compacting", "0")
        manifest.commit()
    for name in OUTPUTS:  # copies of a compaction that was never committed
        (out / (name + ".compact")).unlink(missing_ok=True)


def stat_text(st: os.stat_result) -> str:
    """What changes whenever a file is written to, cut, or replaced: its device,
    inode, size, modification and change times (a change time cannot be set back)."""
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


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


def file_size(path: Path) -> int:
    """The size of `path`; 0 when it does not exist."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
