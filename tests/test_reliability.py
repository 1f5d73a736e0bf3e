"""The red-team findings of issue 17, each reproduced and shown fixed.

The numbers are the issue's: (3) failures that would fail the same way are
not retried; (8) output safety; (7) links that lead outside the input
folders; (2) folders that cannot be entered; (4) workers that end with the
main process and never hold the caller's output; (5) no traceback (markup,
spreadsheet cells, SQLite errors and temporary files, early Ctrl-C, a memory
limit too small); (6) files known by their real path and replaced files read
again; (9) messages that say the true thing. The regex budget of finding 3
is `tests/test_regex_budget.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from vanban.pipeline.batch import error_record, ingest
from vanban.schemas import Document, ErrorRecord


def failing_the_same_way(path: Path, **options: Any) -> Document | ErrorRecord:
    """Every file fails with the code its name begins with; each call is noted in
    `calls` beside the input folder (the pool's forkserver may have started before
    the test: no environment variable reaches the workers)."""
    with open(path.parent.parent / "calls", "a", encoding="utf-8") as f:
        f.write(path.name + "\n")
    code = path.name.split(".")[0]
    return error_record(path, code, f"{code} again")


def _calls(log: Path) -> list[str]:
    return sorted(log.read_text(encoding="utf-8").split()) if log.exists() else []


def test_3_a_timeout_a_blank_scan_and_a_huge_image_are_not_read_again_until_changed(
    tmp_path: Path,
) -> None:
    from vanban.pipeline.limits import Limits

    src, out, log = tmp_path / "in", tmp_path / "out", tmp_path / "calls"
    src.mkdir()
    names = ["timeout.txt", "no_text.pdf", "image_too_large.png"]
    for name in names:
        (src / name).write_text(name)
    run = dict(workers=1, processor="tests.test_reliability:failing_the_same_way")
    ingest(src, out, **run)  # type: ignore[arg-type]
    assert _calls(log) == sorted(names)
    log.unlink()
    summary = ingest(src, out, **run)  # type: ignore[arg-type]
    assert _calls(log) == [] and summary.skipped == 3
    # The file changed: read again.
    (src / "no_text.pdf").write_text("other bytes")
    ingest(src, out, **run)  # type: ignore[arg-type]
    assert _calls(log) == ["no_text.pdf"]
    log.unlink()
    # Another --timeout: the file that ran past it is tried again.
    ingest(src, out, limits=Limits(timeout=900), **run)  # type: ignore[arg-type]
    assert _calls(log) == ["timeout.txt"]
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert sorted(e["error"] for e in errors) == ["image_too_large", "no_text", "timeout"]


LETTER = (
    "BỘ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/BNV-VP\n"
    "Hà Nội, ngày 5 tháng 6 năm 2024\nCÔNG VĂN\nV/v thử\nKính gửi: Bộ Tài chính\n"
    "Bộ Tài chính chủ trì rà soát\u0085 và báo cáo trước ngày 30/6/2024.\n"
)


def test_8_records_split_on_unicode_line_boundaries_stay_whole(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "thư\u2028mục\u2029a\u0085.txt").write_text(LETTER, encoding="utf-8")
    (src / "hỏng\u2028.pdf").write_bytes(b"%PDF-1.4 cut")
    ingest(src, out, workers=1)
    for name in ("documents.jsonl", "tasks.jsonl", "errors.jsonl"):
        data = (out / name).read_text(encoding="utf-8")
        assert not any(c in data for c in "\u2028\u2029\x85"), name
        assert data.splitlines() == data.split("\n")[:-1]
        for line in data.splitlines():
            json.loads(line)
    (doc,) = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
    assert "\u2028" in doc["source"]["path"]  # the name is kept, escaped in the line
    assert not any(0x80 <= ord(c) <= 0x9F for c in doc["text"])  # U+0085 read as a line break
    assert "rà soát\nvà" in doc["text"] or "rà soát và" in doc["text"]


def test_8_and_5_names_reach_the_terminal_escaped() -> None:
    from vanban.pipeline.cli import shown

    assert shown("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert shown("thư\u2028mục") == "thư\\u2028mục"
    assert shown("x[/x]y") == "x\\[/x]y"  # rich markup printed as is
    assert shown(os.fsdecode(b"\xf4.txt")) == "\\xf4.txt"


def test_8_and_5_a_folder_named_with_escapes_and_markup_prints_no_escape_and_no_traceback(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    src = tmp_path / "a\x1b[2J[" / "x]"  # the path holds `[/x]`, a closing tag to rich
    src.mkdir(parents=True)
    (src / "b\x1b]0;title\x07[bold].txt").write_text(LETTER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "vanban.pipeline.cli",
            "ingest",
            str(src),
            "--out",
            str(tmp_path / "o[" / "z]"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stderr and "Traceback" not in proc.stderr
    assert "o[/z]" in proc.stderr


def test_7_links_that_lead_outside_the_folders_are_not_followed_unless_asked(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "etc"
    secret.mkdir()
    (secret / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (secret / "letter.txt").write_text(LETTER, encoding="utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(LETTER, encoding="utf-8")
    (src / "passwd.txt").symlink_to(secret / "passwd")
    (src / "same.txt").symlink_to(src / "a.txt")  # inside: read
    (src / "etc").symlink_to(secret, target_is_directory=True)
    out = tmp_path / "out"
    summary = ingest(src, out, workers=1)
    every = "".join((out / n).read_text() for n in ("documents.jsonl", "errors.jsonl"))
    assert "root:x" not in every
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert [(Path(e["source"]["path"]).name, e["error"]) for e in errors] == [
        ("passwd.txt", "link_outside")
    ]
    assert (
        errors[0]["source"]["sha256"] is None and "--follow-links-outside" in errors[0]["message"]
    )
    assert any("outside the folders given" in n and "etc" in n for n in summary.notes)
    assert summary.documents == 2  # a.txt and the link to it
    followed = ingest(src, tmp_path / "out2", workers=1, follow_links_outside=True)
    assert "link_outside" not in followed.error_codes and followed.documents == 4


def _deep(base: Path, levels: int, name: str = "d" * 200) -> Path:
    """`levels` nested folders under `base`, made through folder descriptors
    (the whole path may be longer than the system takes); a letter at the bottom."""
    fd = os.open(base, os.O_RDONLY)
    for _ in range(levels):
        os.mkdir(name, dir_fd=fd)
        new = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = new
    leaf = os.open("letter.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
    os.write(leaf, LETTER.encode("utf-8"))
    os.close(leaf)
    os.close(fd)
    return base.joinpath(*[name] * levels)


def test_2_a_folder_that_cannot_be_entered_is_reported_and_prune_keeps_its_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text(LETTER, encoding="utf-8")
    (src / "locked").mkdir()
    (src / "locked" / "b.txt").write_text(LETTER.replace("12/BNV", "13/BNV"), encoding="utf-8")
    first = ingest(src, out, workers=1)
    assert first.documents == 2 and first.unreadable_folders == 0
    # The folder loses its read permission (the tests run as root, whom a mode
    # does not stop: the walk is refused the folder as it would be).
    scandir = os.scandir

    def refused(path: Any = ".") -> Any:
        if str(path) == str(src / "locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refused)
    again = ingest(src, out, workers=1, prune=True)
    assert again.unreadable_folders == 1 and again.pruned == 0
    assert any("locked" in n and "could not be read" in n for n in again.notes)
    documents = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(documents) == 2  # b.txt's record is kept
    monkeypatch.setattr(os, "scandir", scandir)
    (src / "locked" / "b.txt").unlink()
    assert ingest(src, out, workers=1, prune=True).pruned == 1  # gone for real: dropped


def test_2_the_command_exits_3_when_a_folder_could_not_be_read(tmp_path: Path) -> None:
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(LETTER, encoding="utf-8")
    _deep(src, 22)  # past 4,096 characters
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "vanban.pipeline.cli",
            "ingest",
            str(src),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 3, proc.stderr
    assert "could not be read" in proc.stderr and "Traceback" not in proc.stderr


def test_5_a_file_name_with_a_control_character_exports_to_a_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from vanban.pipeline.export import export

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "thư\x01\x1b.txt").write_text(LETTER, encoding="utf-8")
    ingest(src, out, workers=1)
    (path,) = export(out, "xlsx")
    rows = load_workbook(path).worksheets[0].iter_rows(values_only=True)
    cells = [str(v) for row in rows for v in row]
    assert any(c.endswith("thư.txt") for c in cells)  # the controls dropped from the cell


def test_5_the_manifest_keeps_its_working_tables_under_out(tmp_path: Path) -> None:
    from vanban.pipeline.manifest import Manifest

    work = tmp_path / ".tmp" / "manifest.work"
    work.parent.mkdir()
    manifest = Manifest(tmp_path / "manifest", work)
    manifest.start_plan()
    for n in range(2000):
        manifest.see(f"/in/{n:05d}-{'x' * 200}.txt")
    databases = {name: file for _, name, file in manifest.db.execute("PRAGMA database_list")}
    assert databases["work"] == str(work) and work.stat().st_size > 400_000
    assert manifest.db.execute("PRAGMA temp_store").fetchone() == (2,)  # memory, not /var/tmp
    assert manifest.db.execute("SELECT COUNT(*) FROM temp.sqlite_master").fetchone() == (0,)
    manifest.close()


@pytest.mark.parametrize(
    ("pragma", "says"),
    [
        ("max_page_count", "the disk is full. Free some space"),  # SQLITE_FULL
        ("query_only", "make the output folder and its manifest writable"),  # SQLITE_READONLY
    ],
)
def test_5_a_full_disk_or_a_readonly_manifest_is_one_line_that_does_not_say_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pragma: str, says: str
) -> None:
    from vanban.pipeline import manifest as manifest_module
    from vanban.schemas import UsageError

    src = tmp_path / "in"
    src.mkdir()
    for n in range(40):
        (src / f"{n:02d}{'x' * 200}.txt").write_text(LETTER, encoding="utf-8")
    opened = manifest_module.Manifest.__init__

    def cramped(self: Any, *args: Any) -> None:
        opened(self, *args)
        if pragma == "max_page_count":  # the database may not grow: as a full disk
            (pages,) = self.db.execute("PRAGMA page_count").fetchone()
            self.db.execute(f"PRAGMA max_page_count = {pages}")
        else:
            self.db.execute("PRAGMA query_only = 1")

    monkeypatch.setattr(manifest_module.Manifest, "__init__", cramped)
    with pytest.raises(UsageError) as caught:
        ingest(src, tmp_path / "out", workers=1)
    assert says in caught.value.message and "--force" not in caught.value.message
    assert "\n" not in caught.value.message


def test_5_ctrl_c_while_the_command_starts_prints_no_traceback(tmp_path: Path) -> None:
    """Ctrl-C reaches the command while it imports its modules, and the pool's
    forkserver while it imports the pipeline: exit 130, no traceback."""
    import subprocess
    import sys
    from multiprocessing import forkserver

    from vanban.pipeline.runner import _context

    _context()
    preload = forkserver._forkserver._preload_modules  # type: ignore[attr-defined]
    assert preload[0] == "vanban.pipeline.server_first"  # before the imports
    stop_at = (
        "import sys\n"
        "AT = sys.argv[1]\n"
        "class Stop:\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == AT:\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Stop())\n"
        "sys.argv = ['vanban', *sys.argv[2:]]\n"
        "from vanban.pipeline.cli import main\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    src = tmp_path / "in"
    src.mkdir()
    for module in ("vanban.pipeline.limits", "vanban.pipeline.batch"):
        proc = subprocess.run(
            [sys.executable, "-c", stop_at, module, "ingest", str(src), "-o", str(tmp_path / "o")],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert proc.returncode == 130, (module, proc.stderr)
        assert "Traceback" not in proc.stderr and "interrupted" in proc.stderr


def test_5_a_memory_limit_too_small_to_start_is_a_usage_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(LETTER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [
        sys.executable,
        "-m",
        "vanban.pipeline.cli",
        "ingest",
        str(src),
        "-o",
        str(tmp_path / "o"),
    ]
    proc = subprocess.run(
        [*command, "--max-memory-mb", "1"], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 2 and "--max-memory-mb" in proc.stderr, proc.stderr
    assert "internal_error" not in proc.stderr and not (tmp_path / "o").exists()


def test_6_the_same_folder_given_three_ways_yields_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    for group in ("g0", "g1"):
        (corpus / group).mkdir(parents=True)
        for n in range(3):
            number = f"{n}{group[1]}/BNV"
            (corpus / group / f"{n}.txt").write_text(
                LETTER.replace("12/BNV", number), encoding="utf-8"
            )
    monkeypatch.chdir(tmp_path)
    summary = ingest(
        [Path("corpus"), corpus.resolve() / "g0", Path("./corpus/g1")], tmp_path / "out", workers=1
    )
    assert summary.files == 6 and summary.documents == 6 and summary.duplicates == 0
    lines = (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6


def test_6_a_letter_replaced_with_its_size_and_time_kept_is_read_again(tmp_path: Path) -> None:
    import shutil

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    letter = src / "a.txt"
    letter.write_text(LETTER, encoding="utf-8")
    ingest(src, out, workers=1)
    corrected = tmp_path / "a.txt"  # same length, another number
    corrected.write_text(LETTER.replace("12/BNV", "13/BNV"), encoding="utf-8")
    st = letter.stat()
    os.utime(corrected, ns=(st.st_atime_ns, st.st_mtime_ns))
    shutil.copy2(corrected, letter)  # `cp -p`: the size and the modification time kept
    assert (letter.stat().st_size, letter.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    again = ingest(src, out, workers=1)
    assert again.skipped == 0 and again.replaced == 1
    (doc,) = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
    assert doc["number"] == "13/BNV-VP"
    os.utime(letter, ns=(st.st_atime_ns, st.st_mtime_ns))  # touched, not changed: skipped
    assert ingest(src, out, workers=1).skipped == 1


def test_9_utf16_without_a_byte_order_mark_is_read_not_called_binary(tmp_path: Path) -> None:
    from vanban.pipeline.load import load

    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(LETTER.encode(encoding))
        assert "Bộ Tài chính chủ trì" in load(path).text


def test_9_a_multi_page_image_past_max_pages_is_not_called_a_pdf(tmp_path: Path) -> None:
    from PIL import Image

    from vanban.pipeline.limits import LimitExceeded, Limits
    from vanban.pipeline.load import load

    path = tmp_path / "register.tiff"
    pages = [Image.new("L", (40, 40), 255) for _ in range(3)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    with pytest.raises(LimitExceeded) as caught:
        load(path, Limits(max_pages=2))
    assert caught.value.message.startswith("The TIFF image has 3 pages")


def test_9_several_links_to_one_folder_are_not_called_a_loop(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "real").mkdir(parents=True)
    (src / "real" / "a.txt").write_text(LETTER, encoding="utf-8")
    for name in ("link1", "link2"):
        (src / name).symlink_to(src / "real", target_is_directory=True)
    (src / "real" / "up").symlink_to(src, target_is_directory=True)  # a loop
    summary = ingest(src, tmp_path / "out", workers=1)
    assert summary.files == 1
    notes = " ".join(summary.notes)
    assert notes.count("another way to a folder already read") == 2
    assert notes.count("symbolic link loop") == 1 and "up' leads back" in notes


def test_9_out_equal_to_a_folder_of_letters_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban.schemas import UsageError

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(LETTER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as caught:
        ingest(src, Path("./in/"), workers=1)
    assert "Choose another --out folder" in caught.value.message
    assert sorted(p.name for p in src.iterdir()) == ["a.txt"]  # nothing written
    inside = ingest(src, src / "vanban-out", workers=1)  # inside: left out of the walk
    assert inside.files == 1 and ingest(src, src / "vanban-out", workers=1).skipped == 1


def test_9_an_image_too_long_for_ocr_is_not_blamed_on_tesseract(tmp_path: Path) -> None:
    from PIL import Image

    from vanban.pipeline.load import load
    from vanban.schemas import LoadError

    path = tmp_path / "strip.png"
    Image.new("L", (1, 1_000_000), 255).save(path)
    with pytest.raises(LoadError) as caught:
        load(path)
    assert caught.value.code == "image_too_large" and "not a scanned page" in caught.value.message
    assert "Tesseract" not in caught.value.message


def test_9_a_docx_with_text_only_in_its_header_is_not_called_a_scan(tmp_path: Path) -> None:
    from docx import Document as Docx

    from vanban.pipeline.load import load
    from vanban.schemas import LoadError

    book = Docx()
    book.sections[0].header.paragraphs[0].text = "BỘ NỘI VỤ  Số: 12/BNV-VP"
    book.sections[0].footer.paragraphs[0].text = "Nơi nhận: Bộ Tài chính"
    path = tmp_path / "header_only.docx"
    book.save(str(path))
    with pytest.raises(LoadError) as caught:
        load(path)
    assert caught.value.code == "no_text" and "header or footer" in caught.value.message
    assert "scan" not in caught.value.message


def test_9_a_text_letter_too_big_for_the_memory_limit_is_said_before_it_is_read(
    tmp_path: Path,
) -> None:
    from vanban.pipeline.limits import TEXT_MEMORY_FACTOR, LimitExceeded, Limits, memory_error
    from vanban.pipeline.load import load

    path = tmp_path / "big.txt"
    path.write_text(LETTER * (300_000 // len(LETTER)), encoding="utf-8")  # about 300 KB
    with pytest.raises(LimitExceeded) as caught:
        load(path, Limits(max_memory_mb=16))
    says = caught.value.message
    assert caught.value.code == "too_large" and "bomb" not in says and "--max-memory-mb" in says
    assert "raise --max-memory-mb to 256" in says
    assert load(path, Limits(max_memory_mb=256)).text  # room enough: read
    assert "bomb" not in memory_error(Limits(), path).message
    assert f"about {TEXT_MEMORY_FACTOR} times" in memory_error(Limits(), path).message


def test_6_and_2_prune_keeps_the_records_of_a_folder_not_read_when_given_relatively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    (src / "a.txt").write_text(LETTER, encoding="utf-8")
    (src / "locked" / "b.txt").write_text(LETTER.replace("12/BNV", "13/BNV"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert ingest(Path("in"), tmp_path / "out", workers=1).documents == 2
    scandir = os.scandir

    def refused(path: Any = ".") -> Any:
        if os.path.normpath(str(path)) == os.path.join("in", "locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refused)
    again = ingest(Path("in"), tmp_path / "out", workers=1, prune=True)
    assert again.unreadable_folders == 1 and again.pruned == 0


def killing_the_main_process(path: Path, **options: Any) -> Document | ErrorRecord:
    """Notes this worker and its parent (the pool's forkserver) in `pids` beside the
    input folder, kills the main process (its pid in `main.pid` there) with SIGKILL,
    then stays busy: what a worker does when its main process is gone."""
    import contextlib
    import signal
    import time

    base = path.parent.parent
    with open(base / "pids", "a", encoding="utf-8") as f:
        f.write(f"{os.getpid()}\n{os.getppid()}\n")
    with contextlib.suppress(ProcessLookupError):
        os.kill(int((base / "main.pid").read_text()), signal.SIGKILL)
    time.sleep(120)
    return error_record(path, "timeout", "still here")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_4_a_supervisor_that_captures_the_output_returns_after_kill_9_and_no_worker_stays(
    tmp_path: Path,
) -> None:
    import signal
    import subprocess
    import sys
    import time

    src, pids = tmp_path / "in", tmp_path / "pids"
    src.mkdir()
    for name in "abcd":
        (src / f"{name}.txt").write_text(LETTER, encoding="utf-8")
    driver = (
        "import functools, os, sys\n"
        "import vanban.pipeline.batch as batch\n"
        f"open({str(tmp_path / 'main.pid')!r}, 'w').write(str(os.getpid()))\n"
        "batch.ingest = functools.partial(\n"
        "    batch.ingest, processor='tests.test_reliability:killing_the_main_process'\n"
        ")\n"
        "from vanban.pipeline.cli import main\n"
        f"sys.argv = ['vanban', 'ingest', {str(src)!r}, '--out', {str(tmp_path / 'out')!r},"
        " '--workers', '2']\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    try:
        # Before the fix: the workers held the captured stderr open and took the
        # killed main process (a zombie until reaped) for alive, so this hung.
        proc = subprocess.run(
            [sys.executable, "-c", driver], capture_output=True, env=env, timeout=60
        )
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        started = [int(pid) for pid in pids.read_text().split()]
        assert started  # the workers ran
        deadline = time.monotonic() + 30  # a guard against a hang, not a timing
        while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in started if _alive(pid)] == []
    finally:
        for pid in pids.read_text().split() if pids.exists() else []:
            if _alive(int(pid)):
                os.kill(int(pid), signal.SIGKILL)
