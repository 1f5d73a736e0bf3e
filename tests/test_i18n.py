"""Vietnamese and English (issue 15): every message has its Vietnamese, the compiled
catalog is current, and a Vietnamese locale or `--lang vi` speaks Vietnamese."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from vanban.pipeline import i18n
from vanban.schemas import LoadError, Phrase, UsageError, VanbanError

ROOT = Path(__file__).resolve().parent.parent


def _messages() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def messages() -> ModuleType:
    return _messages()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


# --- the catalog ---------------------------------------------------------------------------


def test_every_message_of_the_code_has_its_vietnamese(messages: ModuleType) -> None:
    template = messages.extract()
    assert len(template) > 100  # the extraction found the messages at all
    assert messages.missing(template, messages.read_vi()) == []


def test_the_review_pages_messages_are_extracted_with_the_others(messages: ModuleType) -> None:
    """The English of `review.js`'s messages object is in the catalog: the check above
    then covers their Vietnamese."""
    from vanban.pipeline.review import english_messages

    extracted = {m.id: m.locations for m in messages.extract()}
    page = english_messages().values()
    assert [e for e in page if "pipeline/review.js" not in dict(extracted.get(e, []))] == []


def test_the_compiled_catalog_is_the_po_compiled(messages: ModuleType) -> None:
    """The .mo read at run time is current: run `make messages` after editing the .po."""
    assert messages.MO.read_bytes() == messages.compiled(messages.read_vi())


def test_each_translation_keeps_the_fields_of_its_message(messages: ModuleType) -> None:
    wrong = [
        (m.id, m.string)
        for m in messages.read_vi()
        if m.id and isinstance(m.id, str) and i18n.fields(m.id) != i18n.fields(m.string)
    ]
    assert wrong == []


def test_a_message_missing_its_vietnamese_is_found(messages: ModuleType) -> None:
    from babel.messages.catalog import Catalog

    template = Catalog()
    template.add("Errors")
    template.add("A message nobody translated")
    assert messages.missing(template, messages.read_vi()) == ["A message nobody translated"]


# The names that mark a message, and the index of its template, as scripts/messages.py
# extracts them (`_`, `gettext`, `N_`, the error classes, `Phrase`, `tr`: first; the
# error-record makers: third).
_SCRIPT = _messages()
_MARKERS = {
    **dict.fromkeys(("_", "gettext", "N_", *_SCRIPT.ERROR_CLASSES), 0),
    **dict.fromkeys(_SCRIPT.RECORD_MAKERS, 2),
}


def _built_strings(path: Path) -> list[str]:
    """Calls that build their message (an f-string, `+`, `%`, `.format`): such a
    message cannot be found in the catalog."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in _MARKERS or len(node.args) <= _MARKERS[name]:
            continue
        arg = node.args[_MARKERS[name]]
        built = isinstance(arg, ast.JoinedStr | ast.BinOp) or (
            isinstance(arg, ast.Call) and getattr(arg.func, "attr", None) == "format"
        )
        if built:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_message_is_built_where_it_is_marked() -> None:
    paths = [p for d in ("pipeline", "schemas", "extractors") for p in (ROOT / d).rglob("*.py")]
    assert [hit for p in paths for hit in _built_strings(p)] == []


# --- the language -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "lang"),
    [("vi_VN.UTF-8", "vi"), ("vi", "vi"), ("VI", "vi"), ("vi:en", "vi"), ("en_US.UTF-8", "en")],
)
def test_a_locale_name_gives_its_language(value: str, lang: str) -> None:
    assert i18n.normalize(value) == lang


def test_c_and_other_languages_are_english() -> None:
    assert i18n.normalize("C.UTF-8") == i18n.normalize("fr_FR") == "en"
    assert i18n.normalize("") is None


def test_the_first_locale_variable_set_decides() -> None:
    assert i18n.from_environment({"LANG": "vi_VN.UTF-8"}) == "vi"
    assert i18n.from_environment({"LC_ALL": "C", "LANG": "vi_VN.UTF-8"}) == "en"
    assert i18n.from_environment({"LANGUAGE": "vi", "LC_ALL": "C"}) == "vi"
    assert i18n.from_environment({}) == "en"
    assert i18n.from_environment({"VANBAN_LANG": "vi", "LANG": "C.UTF-8"}) == "vi"


def test_lang_may_stand_anywhere_before_the_end_of_options() -> None:
    argv = ["ingest", "in", "--lang", "vi", "--out", "o"]
    assert i18n.from_argv(argv) == "vi"
    assert i18n.strip_lang(argv) == ["ingest", "in", "--out", "o"]
    assert i18n.from_argv(["--lang=en", "status"]) == "en"
    assert i18n.strip_lang(["--lang=en", "status"]) == ["status"]
    assert i18n.from_argv(["extract", "--", "--lang", "vi"]) is None
    assert i18n.strip_lang(["extract", "--", "--lang"]) == ["extract", "--", "--lang"]


def test_lang_takes_only_vi_or_en_never_a_folder(tmp_path: Path) -> None:
    assert i18n.option_language("vi_VN.UTF-8") == "vi" and i18n.option_language("EN") == "en"
    assert i18n.option_language("inbox") is None and i18n.option_language("fr") is None
    (tmp_path / "inbox").mkdir()
    run = _vanban("ingest", "--lang", "inbox", str(tmp_path), "--out", str(tmp_path / "o"), lang="")
    assert run.returncode == 2 and "vi or en" in run.stderr and not (tmp_path / "o").exists()


def test_stripping_lang_is_linear_in_the_arguments() -> None:
    argv = [f"letter{i}.txt" for i in range(50_000)] + ["--lang", "vi"]
    assert i18n.strip_lang(argv) == argv[:-2]  # a shell glob of letters: no quadratic scan


def test_an_error_keeps_its_english_and_shows_vietnamese() -> None:
    exc = LoadError("'{name}' could not be read: {reason}.", name="a.docx", reason="EIO")
    assert str(exc) == exc.message == "'a.docx' could not be read: EIO."
    assert i18n.error_message(exc, "en") == str(exc)
    assert i18n.error_message(exc, "vi") == "Không đọc được tệp 'a.docx': EIO."
    assert exc.code == "unreadable"


def test_a_phrase_and_an_error_inside_an_error_are_translated_too() -> None:
    kind = LoadError("'{name}' is {kind}, not a Word document. "
                     "Check that the right file was attached, or save the letter as .docx.",
                     name="x.docx", kind=Phrase("an Excel workbook"))  # fmt: skip
    assert "bảng tính Excel" in i18n.error_message(kind, "vi")
    why = VanbanError("Text takes about {factor} times its size in memory: split the file "
                      "into its letters, or raise --max-memory-mb.", factor=60)  # fmt: skip
    outer = VanbanError("Reading this file needed more than the {limit:,} MB of memory allowed "
                        "per file (--max-memory-mb) and was stopped. {why}",
                        limit=512, why=why)  # fmt: skip
    shown = i18n.error_message(outer, "vi")
    assert "512 MB" in shown and "khoảng 60 lần" in shown


def test_an_error_survives_a_process_boundary_with_its_template() -> None:
    import pickle

    exc = UsageError("Unknown engine '{engine}': use local or dask.", engine="x")
    back = pickle.loads(pickle.dumps(exc))
    assert (type(back), back.code, back.template, back.params) == (
        UsageError,
        "usage",
        exc.template,
        {"engine": "x"},
    )
    assert i18n.error_message(back, "vi") == i18n.error_message(exc, "vi")


def test_a_translation_with_wrong_fields_falls_back_to_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(i18n, "gettext", lambda message, lang=None: "Sai {khac}")
    assert i18n.tr("Hello {name}", name="A") == "Hello A"


def test_export_headers_and_sheet_names_speak_both_languages() -> None:
    from vanban.pipeline.export import HEADERS, header_label

    assert (header_label("deadline"), header_label("errors")) == ("Deadline", "Errors")
    i18n.set_language("vi")
    assert (header_label("deadline"), header_label("lead")) == ("Hạn xử lý", "Cơ quan chủ trì")
    assert header_label("errors") == "Lỗi"  # the sheet
    assert header_label("no_such_column") == "no_such_column"
    assert all(header_label(k) != HEADERS[k] or HEADERS[k] == "SHA-256" for k in HEADERS)
    assert all(len(header_label(t)) <= 31 for t in ("documents", "tasks", "assignments", "errors"))


def test_the_whole_catalog_can_be_embedded_in_a_page() -> None:
    whole = i18n.all_messages("vi")
    assert whole["Errors"] == "Lỗi" and "" not in whole
    assert i18n.all_messages("en") == {}


def test_the_review_page_catalog_maps_english_to_the_language() -> None:
    assert i18n.catalog(["Tasks", "Not in the catalog"], "vi") == {
        "Tasks": "Nhiệm vụ",
        "Not in the catalog": "Not in the catalog",
    }


# --- the command -------------------------------------------------------------------------------


def _vanban(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": lang}
    env.pop("LANGUAGE", None)
    env.pop("VANBAN_LANG", None)
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    return subprocess.run(
        [sys.executable, "-m", "vanban", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _errors(out: Path) -> list[dict[str, Any]]:
    lines = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("lang")
    folder = base / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.xyz").write_text("?", encoding="utf-8")
    got: dict[str, Any] = {}
    for name, lang, extra in [
        ("vi", "vi_VN.UTF-8", []),
        ("en", "vi_VN.UTF-8", ["--lang", "en"]),
        ("lang_vi", "C.UTF-8", ["--lang", "vi"]),
    ]:
        out = base / name
        res = _vanban("ingest", str(folder), "--out", str(out), "-w", "1", *extra, lang=lang)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        got[name] = {"res": res, "errors": _errors(out), "summary": summary}
    return got


def test_a_vietnamese_locale_runs_ingest_in_vietnamese(runs: dict[str, Any]) -> None:
    run = runs["vi"]
    assert run["res"].returncode == 1
    assert "bản ghi (văn bản)" in run["res"].stderr
    assert "2/2 tệp không đọc được" in run["res"].stderr
    messages = {e["error"]: e["message"] for e in run["errors"]}
    assert messages["empty_file"] == "Tệp rỗng (0 byte): hãy lấy lại văn bản."
    assert messages["unsupported_format"].startswith("Không đọc được tệp loại '.xyz'")
    assert run["summary"]["lang"] == "vi"


def test_lang_en_runs_ingest_in_english_whatever_the_locale(runs: dict[str, Any]) -> None:
    run = runs["en"]
    assert "records (documents)" in run["res"].stderr
    assert "2 of 2 files could not be read" in run["res"].stderr
    messages = {e["error"]: e["message"] for e in run["errors"]}
    assert messages["empty_file"] == "The file is empty (0 bytes): obtain the letter again."
    assert run["summary"]["lang"] == "en"


def test_lang_vi_speaks_vietnamese_in_an_english_locale(runs: dict[str, Any]) -> None:
    assert "tệp không đọc được" in runs["lang_vi"]["res"].stderr


def test_error_codes_and_field_names_are_never_translated(runs: dict[str, Any]) -> None:
    vi, en = runs["vi"], runs["en"]
    assert [sorted(e) for e in vi["errors"]] == [sorted(e) for e in en["errors"]]
    assert [e["error"] for e in vi["errors"]] == [e["error"] for e in en["errors"]]
    assert sorted(vi["summary"]) == sorted(en["summary"])


def test_help_is_in_the_language_asked_for() -> None:
    vi = _vanban("ingest", "--help", lang="vi_VN.UTF-8")
    assert "Thư mục kết quả" in vi.stdout and "Mã thoát" in vi.stdout
    en = _vanban("--lang", "en", "ingest", "--help", lang="vi_VN.UTF-8")
    assert "Output folder" in en.stdout


def test_a_usage_error_is_said_in_vietnamese(tmp_path: Path) -> None:
    res = _vanban("status", str(tmp_path), "--as-of", "30/6", lang="vi_VN.UTF-8")
    assert res.returncode == 2
    assert "lỗi:" in res.stderr
