"""Issue 17, finding 1: the outputs belong to the run.

Another program that writes to `OUT/documents.jsonl` (or `tasks.jsonl`,
`errors.jsonl`) during a run or between two runs — a line added at the end,
a record edited in the middle, the file cut short or deleted — must not make
a run cut a record in half, keep a record it did not write, or copy wrong
byte ranges when it replaces a changed letter's records. The run says so,
keeps a copy of the file as it found it, and rebuilds the outputs from the
manifest and the letters: every letter in exactly one record, every
manifest offset right.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vanban.pipeline import batch as batch_module
from vanban.pipeline.batch import Summary, ingest, process_file
from vanban.schemas import Document

OUTPUTS = ("documents.jsonl", "tasks.jsonl", "errors.jsonl")
FOREIGN = b'{"note": "added by another program"}\n'


def letter(n: int) -> str:
    return (
        "BỘ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        f"Số: {n}/BNV-VP\nHà Nội, ngày 5 tháng 6 năm 2024\nCÔNG VĂN\n"
        f"V/v rà soát lần {n}\nKính gửi: Bộ Tài chính\n"
        "Bộ Tài chính chủ trì rà soát và báo cáo trước ngày 30/6/2024.\n"
        f"Sở Nội vụ tổng hợp {n} ý kiến và gửi Bộ trước ngày 15/7/2024.\n"
    )


def make_letters(src: Path, n: int = 12) -> list[Path]:
    """`n` letters (two tasks each), a copy of the first (a duplicate) and an empty file."""
    made = []
    for i in range(n):
        made.append(src / f"{i:02d}.txt")
        made[-1].parent.mkdir(parents=True, exist_ok=True)
        made[-1].write_text(letter(i + 1), encoding="utf-8")
    (src / "99_copy.txt").write_text(letter(1), encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    return made


def records(out: Path, name: str) -> list[dict[str, Any]]:
    data = (out / name).read_bytes() if (out / name).exists() else b""
    assert data == b"" or data.endswith(b"\n"), f"{name} ends in half a line"
    return [json.loads(line) for line in data.decode("utf-8").split("\n")[:-1]]


def check_owned(src: Path, out: Path) -> None:
    """Every input in exactly one record, each as `process_file` makes it; nothing
    else in the outputs; every manifest offset on its file's own lines."""
    inputs = sorted(str(p) for p in src.rglob("*") if p.is_file())
    docs, rows, errs = (records(out, name) for name in OUTPUTS)
    assert sorted([d["source"]["path"] for d in docs] + [e["source"]["path"] for e in errs]) == (
        inputs
    )
    for d in docs:
        fresh = process_file(Path(d["source"]["path"]))
        assert isinstance(fresh, Document)
        assert d == {**json.loads(fresh.model_dump_json()), "duplicate_of": d["duplicate_of"]}
    assert sorted((r["source_path"], r["task_id"]) for r in rows) == sorted(
        (d["source"]["path"], t["task_id"])
        for d in docs
        if d["duplicate_of"] is None  # a letter's tasks once: its primary copy's
        for t in d["tasks"]
    )
    db = sqlite3.connect(out / "manifest")
    try:
        files = db.execute(
            "SELECT path, record_ids, doc_off, doc_len, task_off, task_len, err_off, err_len"
            " FROM files"
        ).fetchall()
        lengths = dict(db.execute("SELECT key, value FROM meta WHERE key LIKE 'length:%'"))
    finally:
        db.close()
    assert sorted(f[0] for f in files) == inputs
    data = {name: (out / name).read_bytes() for name in OUTPUTS}
    for name in OUTPUTS:
        assert int(lengths[f"length:{name}"]) == len(data[name])
    for path, ids, d_off, d_len, t_off, t_len, e_off, e_len in files:
        ids = json.loads(ids)
        span = data["documents.jsonl"][d_off : d_off + d_len].decode()
        if d_len:
            (doc,) = [json.loads(x) for x in span.split("\n")[:-1]]
            assert (doc["source"]["path"], doc["doc_id"]) == (path, ids[0])
        span = data["tasks.jsonl"][t_off : t_off + t_len].decode()
        assert [json.loads(x)["task_id"] for x in span.split("\n")[:-1]] == (
            ids[1:] if t_len else []
        )
        span = data["errors.jsonl"][e_off : e_off + e_len].decode()
        if e_len:
            (err,) = [json.loads(x) for x in span.split("\n")[:-1]]
            assert err["source"]["path"] == path


def kept_copy(summary: Summary, name: str) -> bytes:
    """The copy of `name` as the run found it, from the folder its note names."""
    (note,) = [n for n in summary.notes if f"'{name}'" in n and "changed by" in n]
    folder = Path(note.split("copy of it as it was is kept in '")[1].split("'")[0])
    return (folder / name).read_bytes()


def run(src: Path, out: Path, **options: Any) -> Summary:
    return ingest(src, out, workers=1, batch_size=2, **options)


def test_1_a_line_added_to_documents_during_a_run_loses_no_record_and_moves_no_offset(
    tmp_path: Path,
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    made = make_letters(src)
    seen: list[Path] = []

    def another_writer(path: Path, result: object) -> None:
        seen.append(path)
        if len(seen) == 5:
            with (out / "documents.jsonl").open("ab") as f:
                f.write(FOREIGN)

    first = run(src, out, on_file=another_writer)
    assert FOREIGN in kept_copy(first, "documents.jsonl")
    assert any("during the run" in n for n in first.notes)
    check_owned(src, out)
    clean = {name: (out / name).read_bytes() for name in OUTPUTS}

    second = run(src, out)  # nothing cut, nothing read again
    assert (second.files, second.recovered_bytes) == (0, 0)
    assert not any("changed by" in n for n in second.notes)
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == clean

    # A letter changes: its old records are replaced, the others copied from
    # offsets that hold them.
    made[3].write_text(letter(4) + "Văn phòng Bộ theo dõi.\n", encoding="utf-8")
    third = run(src, out)
    assert third.files == 1 and third.replaced == 1
    check_owned(src, out)


def test_1_a_line_added_at_the_end_after_a_run_is_kept_aside_not_cut_into_a_record(
    tmp_path: Path,
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_letters(src)
    run(src, out)
    clean = {name: (out / name).read_bytes() for name in OUTPUTS}
    with (out / "documents.jsonl").open("ab") as f:
        f.write(FOREIGN)
    second = run(src, out)
    assert second.files == 0  # every record found where the manifest says
    assert kept_copy(second, "documents.jsonl") == clean["documents.jsonl"] + FOREIGN
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == clean
    check_owned(src, out)


def _edit_longer(data: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[3] = lines[3].replace(b"V/v r", b"V/v (edited) r", 1)
    return b"\n".join(lines)


def _edit_same_length(data: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[3] = lines[3].replace(b"2024", b"2025", 1)
    return b"\n".join(lines)


def _cut_in_a_line(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


def _drop_a_line(data: bytes) -> bytes:
    lines = data.split(b"\n")
    return b"\n".join(lines[:5] + lines[6:])


def _add_at_the_end(data: bytes) -> bytes:
    return data + FOREIGN


def _misspell_a_key(data: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[1] = lines[1].replace(b'"message"', b'"massage"', 1)
    return b"\n".join(lines)


def _add_in_the_middle(data: bytes) -> bytes:
    lines = data.split(b"\n")
    return b"\n".join([*lines[:4], FOREIGN.strip(), *lines[4:]])


@pytest.mark.parametrize(
    ("name", "touch", "read_again"),
    [
        ("documents.jsonl", _edit_longer, 1),
        ("documents.jsonl", _edit_same_length, 1),
        ("documents.jsonl", _add_in_the_middle, 0),
        ("documents.jsonl", _cut_in_a_line, None),  # the records past the cut
        ("tasks.jsonl", _drop_a_line, 1),
        ("tasks.jsonl", _add_at_the_end, 0),
        ("errors.jsonl", _misspell_a_key, 1),
    ],
    ids=[
        "docs-edited-longer",
        "docs-edited-same-length",
        "docs-line-added-in-the-middle",
        "docs-cut-in-a-line",
        "tasks-line-removed",
        "tasks-line-added-at-the-end",
        "errors-line-edited",
    ],
)
def test_1_an_output_touched_between_runs_is_kept_aside_and_rebuilt(
    tmp_path: Path, name: str, touch: Callable[[bytes], bytes], read_again: int | None
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_letters(src)
    (src / "bad.pdf").write_bytes(b"%PDF-1.4 cut")
    (src / "zz.docx").write_bytes(b"PK\x03\x04junk")
    (src / "bad2.pdf").write_bytes(b"not a pdf")
    (src / "bad3.pdf").write_bytes(b"%PDF-")
    run(src, out)
    before = (out / name).read_bytes()
    touched = touch(before)
    assert touched != before
    (out / name).write_bytes(touched)
    second = run(src, out)
    assert kept_copy(second, name) == touched
    if read_again is not None:
        assert second.files == read_again
    assert second.files < 12
    check_owned(src, out)
    third = run(src, out)
    assert third.files == 0 and not any("changed by" in n for n in third.notes)


def test_1_a_deleted_output_is_said_and_its_letters_read_again(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_letters(src)
    run(src, out)
    (out / "tasks.jsonl").unlink()
    second = run(src, out)
    assert any("'tasks.jsonl'" in n and "missing" in n for n in second.notes)
    assert second.files == 12  # every letter with tasks in tasks.jsonl (not the copy's)
    check_owned(src, out)


def test_1_replacing_a_changed_letter_copies_only_the_bytes_it_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record edited while the run walks the folders, after the outputs were
    checked: the compaction that replaces a changed letter's records finds it."""
    src, out = tmp_path / "in", tmp_path / "out"
    made = make_letters(src)
    run(src, out)
    made[7].write_text(letter(8) + "Văn phòng Bộ theo dõi.\n", encoding="utf-8")
    walk = batch_module._plan

    def walk_while_another_writes(*args: Any, **kwargs: Any) -> None:
        docs = out / "documents.jsonl"
        docs.write_bytes(_edit_same_length(docs.read_bytes()))
        walk(*args, **kwargs)

    monkeypatch.setattr(batch_module, "_plan", walk_while_another_writes)
    second = run(src, out)
    assert second.files == 2  # the changed letter and the one whose record was edited
    assert b"2025" in kept_copy(second, "documents.jsonl")
    check_owned(src, out)


def test_1_a_killed_runs_own_tail_is_still_cut_without_a_copy(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    made = make_letters(src)
    run(src, out)
    clean = {name: (out / name).read_bytes() for name in OUTPUTS}
    # What a kill -9 leaves past the last commit: a new file's record, half written.
    extra = src / "50.txt"
    extra.write_text(letter(50), encoding="utf-8")
    fresh = process_file(extra)
    assert isinstance(fresh, Document)
    line = fresh.model_dump_json().encode()
    with (out / "documents.jsonl").open("ab") as f:
        f.write(line + b"\n" + line[:40])
    second = run(src, out)
    assert second.files == 1 and second.recovered_bytes == len(line) + 1 + 40
    assert not any("changed by" in n for n in second.notes)
    assert not list(out.glob("touched-*"))
    assert (out / "documents.jsonl").read_bytes().startswith(clean["documents.jsonl"])
    check_owned(src, out)
    assert len(made) == 12


def test_1_a_record_broken_into_during_a_run_is_read_again_in_the_same_run(
    tmp_path: Path,
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_letters(src)
    seen: list[Path] = []

    def another_writer(path: Path, result: object) -> None:
        seen.append(path)
        if len(seen) == 6:  # bytes pushed into the second record, in place
            with (out / "documents.jsonl").open("r+b") as f:
                data = f.read()
                at = data.index(b"\n") + 100
                f.seek(at)
                f.write(FOREIGN + data[at:])

    first = run(src, out, on_file=another_writer)
    assert first.damaged_records == 1 and first.touched == ["documents.jsonl"]
    assert any("1 files whose records were damaged are read again" in n for n in first.notes)
    assert FOREIGN in kept_copy(first, "documents.jsonl")
    check_owned(src, out)
    assert run(src, out).files == 0


def test_1_the_clerk_is_told_on_the_terminal(tmp_path: Path) -> None:
    import subprocess
    import sys

    src, out = tmp_path / "in", tmp_path / "out"
    make_letters(src, 3)
    run(src, out)
    with (out / "tasks.jsonl").open("ab") as f:
        f.write(FOREIGN)
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-m", "vanban", "ingest", str(src), "--out", str(out)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "COLUMNS": "300"},
        timeout=300,
    )
    # 1: one of the letters is unreadable on purpose (the documented exit status).
    assert proc.returncode == 1, proc.stderr
    said = " ".join(proc.stderr.split())
    assert "'tasks.jsonl' was changed by another program" in said
    (kept,) = out.glob("touched-*")
    assert f"is kept in '{kept}'" in said
    assert (kept / "tasks.jsonl").read_bytes().endswith(FOREIGN)


def test_1_outputs_in_doubt_but_whole_are_neither_rebuilt_nor_read_again(tmp_path: Path) -> None:
    """Times moved (`touch`) or the folder copied (other inodes): every line is
    checked against its hash, found whole, and nothing is said or redone."""
    import os
    import shutil

    src, out = tmp_path / "in", tmp_path / "out"
    made = make_letters(src)
    run(src, out)
    clean = {name: (out / name).read_bytes() for name in OUTPUTS}
    for name in OUTPUTS:
        os.utime(out / name)
    again = run(src, out)
    assert (again.files, again.touched, again.notes) == (0, [], [])
    copied = tmp_path / "copied"
    shutil.copytree(out, copied)
    made[5].write_text(letter(6) + "Văn phòng Bộ theo dõi.\n", encoding="utf-8")
    elsewhere = run(src, copied)
    assert (elsewhere.files, elsewhere.touched, elsewhere.notes) == (1, [], [])
    assert not list(copied.glob("touched-*"))
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == clean
    check_owned(src, copied)


def test_1_a_line_added_while_the_run_walks_is_not_dropped_in_silence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the committed length when a changed letter's records are replaced:
    another program's line, kept aside and said, not cut away."""
    src, out = tmp_path / "in", tmp_path / "out"
    made = make_letters(src)
    run(src, out)
    made[2].write_text(letter(3) + "Văn phòng Bộ theo dõi.\n", encoding="utf-8")
    walk = batch_module._plan

    def walk_while_another_writes(*args: Any, **kwargs: Any) -> None:
        with (out / "documents.jsonl").open("ab") as f:
            f.write(FOREIGN)
        walk(*args, **kwargs)

    monkeypatch.setattr(batch_module, "_plan", walk_while_another_writes)
    second = run(src, out)
    assert second.files == 1
    assert kept_copy(second, "documents.jsonl").endswith(FOREIGN)
    assert any("lines added after its last record" in n for n in second.notes)
    check_owned(src, out)
