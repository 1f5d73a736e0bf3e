"""The three JSONL outputs of a run, appended to, and checked when a run opens them.

The outputs belong to the run: only the process running `vanban ingest`
writes them (`vanban.pipeline.manifest`). Another program can still write to
them — a line added at the end, a record edited in the middle, the file cut
short or deleted — and nothing of it may end up cut into a record, kept as
if the run had written it, or make the manifest's offsets wrong. So:

- during a run, each checkpoint compares each output's size with what the
  run wrote (and that the file at its name is still the one written to); a
  difference marks the output *touched* in the same transaction as the rows;
- when a run opens the outputs, each is checked (`check_output`); one found
  touched is kept as it was (`OUT/touched-<time>/NAME`, a second name for
  its bytes) and rebuilt from the manifest: each file's lines, verified
  against their sums wherever they moved to, are copied; files whose lines
  are whole nowhere are read again (`Manifest.compact`);
- past the committed length, only what a killed run leaves is cut without a
  copy: its own records, of files the manifest does not hold, the last one
  perhaps half written.

What the open check costs: each checkpoint records each output's device,
inode, size, modification and change times (`stat_text`). When they are
unchanged, no program has written to the file since (any write, cut or
replacement moves the change time, which no program can set back), so only
the last record is read and verified, with the line end before the committed
length; a resume of a big OUT stays instant. When they changed — a run
killed after writing past its last commit, a copy of OUT, or another
program — the run is in doubt, and every committed line is checked against
its sum (one sequential read, no JSON parsing), then the lines past the
committed length are parsed.

What is not seen: a record overwritten in place with as many bytes, by a
program writing into the middle of the file during a run (the size does not
move, and the next checkpoint records the times it left). A run that then
replaces a changed letter's records still verifies every line it copies.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from vanban.pipeline.manifest import (
    DOCS,
    OUTPUTS,
    TASKS,
    Compaction,
    Manifest,
    Span,
    SpanReader,
    file_size,
    finish_compaction,
    span_sum,
    stat_text,
)

# Ranks of primaries kept by `Outputs.keep_rank` (about 14 MB per 100,000 paths).
RANKS_KEPT = 1 << 16


class Outputs:
    """The three JSONL files, appended to; offsets, lengths and sums tracked for the
    manifest. Opening them finishes a pending compaction, checks them, rebuilds
    those another program touched (`rebuilt`, `found`), and cuts what a killed
    run wrote past its last commit (`recovered`)."""

    def __init__(self, out: Path, manifest: Manifest) -> None:
        self.out = out
        self.manifest = manifest
        self.recovered = 0  # bytes past the committed lengths (a killed run's), cut off
        self.found: dict[str, str] = {}  # output → what another program did to it
        self.last: list[Span | None] = [None, None, None]  # the lines written last, per output
        self.rebuilt: Compaction | None = None
        # The source rank of documents.jsonl lines of primaries written by this run, by
        # file (`vanban.pipeline.copies.source_rank`): copies are ranked without reading
        # them back. At most RANKS_KEPT (`keep_rank`).
        self.ranks: dict[str, int] = {}
        finish_compaction(manifest, out)
        # With a new manifest, outputs already there are replaced, unchecked.
        if not manifest.created or self.touched():
            self._rebuild_touched()
        committed = manifest.lengths()
        self.files: list[IO[bytes]] = []
        for name, length in zip(OUTPUTS, committed, strict=True):
            f = (out / name).open("ab")
            size = os.fstat(f.fileno()).st_size
            if size > length:
                f.truncate(length)
                self.recovered += size - length
            self.files.append(f)
        self.lengths = list(committed)
        manifest.begin()
        self._record_stats()
        manifest.commit()

    def _rebuild_touched(self) -> None:
        found = {k: why for k in range(3) if (why := check_output(self.out, self.manifest, k))}
        if not found:
            return
        committed = self.manifest.lengths()
        for k in found:  # what lay past the committed length is left out too
            self.recovered += max(0, file_size(self.out / OUTPUTS[k]) - committed[k])
        self.found = {OUTPUTS[k]: why for k, why in found.items()}
        self.rebuilt = self.manifest.compact(self.out, touched=found, keep=keep_folder(self.out))

    def _record_stats(self) -> None:
        for name, f in zip(OUTPUTS, self.files, strict=True):
            self.manifest.set_meta(f"stat:{name}", stat_text(os.fstat(f.fileno())))

    def truncate_all(self) -> None:
        for f in self.files:
            f.truncate(0)
        self.lengths = [0, 0, 0]
        self.last = [None, None, None]

    def keep_rank(self, path: str, rank: int) -> None:
        """Note the source rank of the primary `path` just written. The main process's
        memory stays flat however many files a run has: past RANKS_KEPT the ranks kept
        are forgotten, and a copy of a primary not kept reads its line back."""
        if len(self.ranks) >= RANKS_KEPT:
            self.ranks.clear()
        self.ranks[path] = rank

    def write(self, k: int, lines: Sequence[str]) -> Span:
        """Append `lines` to output `k`; their (offset, length, sum)."""
        if not lines:
            return (self.lengths[k], 0, "")
        data = jsonl_bytes(lines)
        self.files[k].write(data)
        off = self.lengths[k]
        self.lengths[k] += len(data)
        span = self.last[k] = (off, len(data), span_sum(data))
        return span

    def flush(self) -> None:
        for f in self.files:
            f.flush()

    def sync(self) -> None:
        """Flush and fsync the outputs: what the manifest is about to commit is on disk."""
        for f in self.files:
            f.flush()
            os.fsync(f.fileno())

    def checkpoint(self) -> None:
        """Sync the outputs and set their lengths and stats in the manifest, which
        the caller commits. An output longer than what the run wrote, or no
        longer the file at its name, was written to by another program: marked
        touched, in the same transaction, to be rebuilt (its offsets are not
        trusted from here on)."""
        self.sync()
        for k, (name, f) in enumerate(zip(OUTPUTS, self.files, strict=True)):
            st = os.fstat(f.fileno())
            try:
                here = os.stat(self.out / name)
                same = (here.st_dev, here.st_ino) == (st.st_dev, st.st_ino)
            except FileNotFoundError:
                same = False
            if not same:
                self.manifest.set_touched(k, "replaced or deleted during the run")
            elif st.st_size != self.lengths[k]:
                self.manifest.set_touched(k, "written to during the run")
            if self.last[k] is not None:
                self.manifest.set_last(k, self.last[k])
        self.manifest.set_lengths(self.lengths)
        self._record_stats()

    def touched(self) -> bool:
        """Whether another program wrote to an output during the run."""
        return any(self.manifest.touched(k) for k in range(3))

    def close(self) -> None:
        for f in self.files:
            f.close()


def check_output(out: Path, manifest: Manifest, k: int) -> str | None:
    """What another program did to output `k`, or None when it is as the run
    left it (past the committed length, a killed run's own records may follow).
    See the module doc for what is read."""
    name = OUTPUTS[k]
    flagged = manifest.touched(k)
    if flagged:
        return flagged
    committed = manifest.lengths()[k]
    try:
        st = os.stat(out / name)
    except FileNotFoundError:
        return "deleted: it is missing" if committed else None
    if st.st_size < committed:
        return f"cut: {committed - st.st_size:,} bytes shorter than the run left it"
    with SpanReader(manifest.db, out / name, k) as reader:
        if st.st_size == committed and manifest.get_meta(f"stat:{name}") == stat_text(st):
            if _ends_with_its_last_record(reader, manifest, k, committed):
                return None
            return "its last record is not the one the run wrote"
        why = _every_record_checked(reader, manifest, k, committed)
        if why is None and st.st_size > committed:
            why = _foreign_tail(reader, manifest, k, committed)
        return why


def _ends_with_its_last_record(reader: SpanReader, manifest: Manifest, k: int, end: int) -> bool:
    """The committed length ends the lines of a row, as its sum says: those the
    last commit noted (no scan of the rows), else the row found last by a scan."""
    if end == 0:
        return True
    for scan in (False, True):
        last = manifest.last_span(k, scan=scan)
        if last is not None and last[0] + last[1] == end and reader.holds(*last) is not None:
            return True
    return False


def _every_record_checked(reader: SpanReader, manifest: Manifest, k: int, end: int) -> str | None:
    """The committed bytes are the rows' lines, one after the other, each as its sum says."""
    pos = 0
    for _, off, length, check in manifest.live_spans(k):
        if off != pos:
            return "lines the run did not write"
        if reader.holds(off, length, check) is None:
            return "a record in it is not the one the run wrote"
        pos += length
    return None if pos == end else "lines the run did not write"


def _foreign_tail(reader: SpanReader, manifest: Manifest, k: int, end: int) -> str | None:
    """None when every whole line past `end` is a record of this output for a
    file the manifest does not hold (what a killed run wrote after its last
    commit); the last line may be half written."""
    for line in reader.lines_from(end):
        if line.endswith(b"\n") and not _own_uncommitted(line, manifest, k):
            return "lines added after its last record"
    return None


def _own_uncommitted(line: bytes, manifest: Manifest, k: int) -> bool:
    try:
        record = json.loads(line)
    except ValueError:
        return False
    if not isinstance(record, dict):
        return False
    source = record.get("source")
    source = source if isinstance(source, dict) else {}
    path = record.get("source_path") if k == TASKS else source.get("path")
    ident = record.get("doc_id" if k == DOCS else "task_id" if k == TASKS else "error")
    return isinstance(path, str) and ident is not None and manifest.get(path) is None


def keep_folder(out: Path) -> Path:
    """A new folder under OUT, named for the time, for outputs kept as another program left them."""
    base = out / time.strftime("touched-%Y%m%dT%H%M%SZ", time.gmtime())
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    return folder


# Line separators other than \n and C1 controls, which JSON may hold raw in a
# string: a reader that splits on Unicode line boundaries (Python's
# `splitlines`) would cut a record there. Escaped, the record is the same JSON.
_UNSAFE_IN_JSONL = re.compile("[\x80-\x9f\u2028\u2029]")


# The same characters in UTF-8 (each lead byte starts a character, so these match
# only them). A bytes pattern with a literal first byte is searched ten times
# faster than the character class over a str: most lines hold none, and are
# then written as they are.
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")
_LINE_SEPARATORS_UTF8 = re.compile(b"\xe2\x80[\xa8\xa9]")


def jsonl_safe(line: str) -> str:
    """One JSON record as a line that every line splitter reads whole."""
    return _UNSAFE_IN_JSONL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", line)


def jsonl_bytes(lines: Sequence[str]) -> bytes:
    """JSON records as UTF-8 lines, each `jsonl_safe`, each ending in a newline."""
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    if _C1_UTF8.search(data) or _LINE_SEPARATORS_UTF8.search(data):
        data = "".join(jsonl_safe(line) + "\n" for line in lines).encode("utf-8")
    return data
