"""The rough edges of the command line a new user met (issue 15), each shown gone."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from vanban.pipeline import i18n
from vanban.pipeline.cli import LETTER_SUFFIXES, app
from vanban.pipeline.evaluate import gold_to_record

ROOT = Path(__file__).resolve().parent.parent
LETTER = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
Số: 12/UBND-VP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lào Cai, ngày 14 tháng 9 năm 2025

Kính gửi: Sở Y tế.

Ủy ban nhân dân tỉnh giao Sở Y tế chủ trì chuẩn bị thuốc men cho vùng lũ, hoàn thành trước ngày 01/10/2025.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn A
"""


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def _vanban(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    base.pop("LANGUAGE", None)
    base.pop("VANBAN_LANG", None)
    base.pop("LC_ALL", None)
    return subprocess.run(
        [sys.executable, "-m", "vanban", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=300,
    )


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _gold(source: str, **overrides: Any) -> dict[str, Any]:
    gold: dict[str, Any] = {
        "source": source,
        "doc_type": "Công văn",
        "number": "12/UBND-VP",
        "issuer": "Ủy ban nhân dân tỉnh Lào Cai",
        "place": "Lào Cai",
        "issued_date": "2025-09-14",
        "subject": "triển khai kế hoạch phòng chống lũ",
        "recipients": ["Sở Y tế"],
        "signer": {"name": "Nguyễn Văn A", "title": "Phó Chủ tịch"},
        "references": [],
        "tasks": [
            {
                "label": str(n),
                "text": f"Sở Y tế chuẩn bị thuốc men, vật tư y tế và phương án ứng phó số {n} "
                "cho các xã vùng lũ, bảo đảm đủ cơ số thuốc theo hướng dẫn của Bộ Y tế",
                "lead": ["Sở Y tế"],
                "coordinate": [],
                "deadline": f"2025-10-{n:02d}",
            }
            for n in range(1, 9)
        ],
    }
    gold.update(overrides)
    return gold


@pytest.fixture()
def run_out(tmp_path: Path) -> Path:
    """An OUT folder as `vanban ingest` leaves it, with one letter of eight tasks."""
    out = tmp_path / "out"
    out.mkdir()
    record = gold_to_record(_gold("a.txt"))
    (out / "documents.jsonl").write_text(
        json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return out


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One folder (a letter, an empty file) ingested twice, then the letter alone."""
    base = tmp_path_factory.mktemp("edges")
    folder = base / "in"
    folder.mkdir()
    (folder / "letter.txt").write_text(LETTER, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    out = base / "out"
    first = _vanban("ingest", str(folder), "--out", str(out), "-w", "1", "-v")
    summary_first = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    again = _vanban("ingest", str(folder), "--out", str(out), "-w", "1", "-q")
    tolerant = _vanban("ingest", str(folder), "--out", str(out), "-w", "1", "--no-fail-on-error")
    summary_again = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    single_out = base / "single"
    single = _vanban("ingest", str(folder / "letter.txt"), "--out", str(single_out), "-w", "1")
    return {
        "out": out,
        "first": first,
        "again": again,
        "tolerant": tolerant,
        "summary_first": summary_first,
        "summary_again": summary_again,
        "single": single,
        "single_out": single_out,
    }


# --- help ------------------------------------------------------------------------------


def test_help_shows_flags_without_a_value_to_give_them() -> None:
    res = _run("extract", "--help")
    assert res.exit_code == 0, res.output
    assert "<bool>" not in res.output and "--pretty" in res.output


def test_extract_help_lists_every_format_the_loader_reads() -> None:
    from vanban.pipeline.load import SUPPORTED

    listed = set(" ".join(LETTER_SUFFIXES).split())
    assert listed == set(SUPPORTED)
    shown = " ".join(_run("extract", "--help").output.split())
    assert all(suffix in shown for suffix in SUPPORTED), shown


def test_pretty_is_a_flag_that_indents(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    res = _run("extract", str(path), "--pretty")
    assert res.exit_code == 0, res.output
    assert res.output.startswith("{\n  ")


# --- ingest ----------------------------------------------------------------------------


def test_ingest_reads_a_single_file(ingested: dict[str, Any]) -> None:
    assert ingested["single"].returncode == 0, ingested["single"].stderr
    lines = (ingested["single_out"] / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert [Path(json.loads(line)["source"]["path"]).name for line in lines] == ["letter.txt"]


def test_quiet_prints_no_table_only_the_problem(ingested: dict[str, Any]) -> None:
    again = ingested["again"]
    assert "records (documents)" not in again.stderr and "┌" not in again.stderr
    assert again.stderr.strip().splitlines() == [
        f"1 of 2 files could not be read: see {ingested['out'] / 'errors.jsonl'}"
    ]


def test_a_rerun_reports_the_records_the_output_folder_holds(ingested: dict[str, Any]) -> None:
    again = ingested["summary_again"]
    assert again["files"] == 0 and again["skipped"] == 2
    assert (again["documents_in_out"], again["errors_in_out"]) == (1, 1)
    assert again["tasks_in_out"] == ingested["summary_first"]["tasks"] >= 1
    table = ingested["tolerant"].stderr
    cells = [[c.strip() for c in line.split("│")[1:3]] for line in table.splitlines()]
    assert ["in OUT: records (documents)", "1"] in cells, table


def test_some_files_failed_exits_1_and_says_how_many(ingested: dict[str, Any]) -> None:
    first = ingested["first"]
    assert first.returncode == 1, first.stderr
    assert "1 of 2 files could not be read" in first.stderr
    assert ingested["again"].returncode == 1  # still there on a run that skipped them


def test_no_fail_on_error_exits_0_and_still_says_how_many(ingested: dict[str, Any]) -> None:
    assert ingested["tolerant"].returncode == 0, ingested["tolerant"].stderr
    assert "1 of 2 files could not be read" in ingested["tolerant"].stderr


def test_verbose_names_each_file_that_could_not_be_read(ingested: dict[str, Any]) -> None:
    lines = [ln for ln in ingested["first"].stderr.splitlines() if "empty_file" in ln]
    assert any("empty.txt" in ln and "0 bytes" in ln for ln in lines), ingested["first"].stderr
    assert "empty_file" not in ingested["tolerant"].stderr.split("error: empty_file")[0]


def test_the_log_under_out_holds_each_run_its_failures_and_exit_status(
    ingested: dict[str, Any],
) -> None:
    log = (ingested["out"] / "vanban.log").read_text(encoding="utf-8")
    runs = log.split("--- ")[1:]
    assert len(runs) == 3
    assert all("in OUT: errors" in run for run in runs)
    assert "empty.txt: empty_file:" in runs[0]
    assert [run.strip().splitlines()[-1] for run in runs] == [
        "exit status 1",
        "exit status 1",
        "exit status 0",
    ]


def test_a_folder_that_does_not_exist_is_still_refused(tmp_path: Path) -> None:
    res = _run("ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert res.exit_code == 2 and "is not a folder or a file" in res.output


# --- export, eval ------------------------------------------------------------------------


def test_export_format_is_read_in_any_case(run_out: Path, tmp_path: Path) -> None:
    res = _run("export", str(run_out), "--format", "XLSX", "--to", str(tmp_path / "x"))
    assert res.exit_code == 0, res.output
    assert list((tmp_path / "x").glob("*.xlsx"))


def test_eval_takes_the_out_folder_as_the_other_commands_do(run_out: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text(json.dumps(_gold("a.txt"), ensure_ascii=False), "utf-8")
    res = _run("eval", str(gold), str(run_out), "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["documents"]["matched"] == 1


def test_no_message_tells_a_clerk_to_run_make() -> None:
    """A clerk has vanban, not the repository's Makefile: no message (every one is
    in the catalog, tests/test_i18n.py) names a make target."""
    po = (ROOT / "pipeline/locale/vi/LC_MESSAGES/vanban.po").read_text(encoding="utf-8")
    said = [
        line
        for line in po.splitlines()
        if re.search(r"`make|\bmake (run|install|eval|test|bench|schema|messages)\b", line)
    ]
    assert said == []


def test_a_missing_run_says_which_folder_to_give(tmp_path: Path) -> None:
    res = _run("export", str(tmp_path))
    assert res.exit_code == 2
    assert "vanban ingest" in res.output and "make" not in res.output


# --- status, agencies ----------------------------------------------------------------------


def test_status_redirected_prints_each_task_on_one_line(run_out: Path) -> None:
    res = _run("status", str(run_out), "--as-of", "2025-10-03")
    assert res.exit_code == 0, res.output
    rows = [ln for ln in res.output.splitlines() if "phương án ứng phó số" in ln]
    assert len(rows) == 8
    # title, header, rule, the rows, and blank lines around: not one row over several lines
    assert len(res.output.strip().splitlines()) <= 8 + 4, res.output


def test_status_for_an_agency_written_without_diacritics_names_the_agency_meant(
    run_out: Path,
) -> None:
    res = _run("status", str(run_out), "--as-of", "2025-10-03", "--agency", "So Y te")
    assert res.exit_code == 0
    assert "No task for the agency 'So Y te'" in res.output
    assert "Did you mean" in res.output and "Sở Y tế" in res.output


def test_status_for_an_unknown_agency_says_how_to_find_its_name(run_out: Path) -> None:
    res = _run("status", str(run_out), "--as-of", "2025-10-03", "--agency", "Bo Tai chinh")
    assert "Bộ Tài chính" in res.output and "vanban agencies lookup" in res.output


def test_agencies_list_of_a_misspelt_level_names_the_level_meant() -> None:
    res = _run("agencies", "list", "--level", "minstry")
    assert res.exit_code == 2
    assert "no level 'minstry'" in res.output and "Did you mean ministry?" in res.output


def test_agencies_list_of_a_level_still_lists_it() -> None:
    res = _run("agencies", "list", "--level", "ministry")
    assert res.exit_code == 0
    assert "ministry\tBộ Tài chính" in res.output.splitlines()


def test_the_workers_of_the_vanban_script_do_not_run_the_script_again(tmp_path: Path) -> None:
    """multiprocessing runs a `__main__` script anew in each worker it starts; the
    `vanban` console script would import the whole CLI (typer, rich) in every
    worker. Started from such a script, the command's workers are told its
    module, `vanban.__main__`, which multiprocessing leaves alone."""
    script = tmp_path / "vanban"
    script.write_text(
        "import sys\n"
        "import multiprocessing.spawn\n"
        "from vanban.pipeline.cli import main\n"
        "sys.argv = ['vanban', 'rules', '--json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "data = multiprocessing.spawn.get_preparation_data('worker')\n"
        "sys.stderr.write(repr(('main_path' in data, data.get('init_main_from_name'))))\n",
        encoding="utf-8",
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)  # the command ran
    assert out.stderr.strip() == "(False, 'vanban.__main__')"


def test_the_command_freezes_what_it_made_before_it_exits(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The interpreter's exit does not walk the command's objects (issue 16): they
    are frozen once the command is done, whichever way it ends."""
    import gc

    import vanban.__main__ as command

    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(sys, "argv", ["vanban", "--version"])
    with pytest.raises(SystemExit):
        command.main()
    assert frozen == [True]
    assert capsys.readouterr().out.startswith("vanban ")


def test_an_interrupted_run_ends_even_when_a_thread_holds_up_the_exit() -> None:
    """Once an interrupted run has kept its records, the command ends with 130
    within a bound, whatever the interpreter's exit waits for (here a thread that
    never ends, as the workers' pool's threads can), and prints the stacks of the
    threads still running so that the wait can be traced."""
    code = (
        "import sys, threading\n"
        "from vanban.pipeline import cli, i18n\n"
        "i18n.set_language('en')\n"
        "def held_up():\n"
        "    threading.Event().wait()\n"
        "threading.Thread(target=held_up).start()\n"
        "cli.exit_within(0.5, cli.EXIT_INTERRUPTED)\n"
        "sys.exit(0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 130, done.stderr
    assert "still exiting after 0.5 s: ended; the records written are kept." in done.stderr
    assert "held_up" in done.stderr  # the stack of the thread that held it up
