"""The `vanban` command: a thin shell over the library.

Only this module turns errors into exit codes and messages. Every message is
in the language of `vanban.pipeline.i18n` (`--lang vi|en`, anywhere on the
command line, or the locale), help included: the language is known before the
commands below are defined.

Exit status: 0 done; 1 (ingest) some files could not be read, each with its
error record (`--no-fail-on-error`: 0); 2 wrong use or an output that cannot be
written; 3 (ingest) folders that could not be entered; 130 interrupted.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

try:  # a second or so: Ctrl-C while the command starts ends it without a traceback
    import typer
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.table import Table

    from vanban.pipeline import i18n, pool_server
    from vanban.pipeline.i18n import _, error_message, tr
    from vanban.pipeline.limits import Limits
    from vanban.schemas import UsageError, VanbanError
except KeyboardInterrupt:
    sys.stderr.write("interrupted.\n")
    raise SystemExit(130) from None

if TYPE_CHECKING:
    from vanban.extractors.agencies import AgencyRegistry
    from vanban.extractors.rules import Rule
    from vanban.pipeline.batch import Summary
    from vanban.schemas import Document

# Help is written when the commands are defined, below: in the language asked for.
i18n.set_language(i18n.from_argv(sys.argv[1:]))

# Exit statuses (the module doc; README "Exit status").
EXIT_FILES_FAILED = 1
EXIT_USAGE = 2
EXIT_FOLDERS_UNREADABLE = 3
EXIT_INTERRUPTED = 130
# How long an interrupted run may take to exit once its records are kept.
EXIT_SECONDS = 15.0

app = typer.Typer(
    help=_("Read Vietnamese official letters and write grounded JSON task records."),
    no_args_is_help=True,
    add_completion=False,
    # Plain help: rich's panels show `<bool>` beside every flag, as if
    # `--pretty true` were the way to give it.
    rich_markup_mode=None,
)
err = Console(stderr=True)
# What a terminal would act on rather than show: C0 and C1 controls (ESC
# starts the sequence that clears a screen), line separators, bidi overrides.
_UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _print_version(value: bool) -> None:
    if value:
        from vanban import __version__

        sys.stdout.write(f"vanban {__version__}\n")
        raise typer.Exit()


def _set_language(value: str | None) -> str | None:
    if value is not None:
        if i18n.normalize(value) is None:
            raise typer.BadParameter(_("vi or en"))
        i18n.set_language(value)
    return value


@app.callback(help=_("Read Vietnamese official letters and write grounded JSON task records."))
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help=_("Print vanban's version")
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="vi|en",
            callback=_set_language,
            is_eager=True,
            help=_(
                "Language of messages, help and error records (default: the locale's); "
                "may stand anywhere on the command line"
            ),
        ),
    ] = None,
) -> None:
    pass


def shown(text: str) -> str:
    """Text (a file name, a message that quotes one) as the terminal prints it:
    controls as escapes (`\\x1b`), bytes that are not UTF-8 as `\\xf4`, and
    `[…]`, which rich reads as markup, printed as is."""
    from rich.markup import escape

    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)
    return escape(text)


def _fail(exc: VanbanError, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"[bold red]{_('error:')}[/] {shown(error_message(exc))}", soft_wrap=True)
    return typer.Exit(code)


# What `vanban.pipeline.load` reads (its SUPPORTED; importing it here would slow
# every command down; tests/test_cli_edges.py checks that the two agree).
LETTER_SUFFIXES = (
    ".txt .text .md .docx .doc .odt .rtf .pdf",
    ".png .jpg .jpeg .tif .tiff",
)


@app.command(
    help=_("Print the record of one letter as JSON (within the default size and page limits).")
)
def extract(
    file: Annotated[
        Path,
        typer.Argument(
            help=_("A letter: {formats}, or a scan: {images}").format(
                formats=LETTER_SUFFIXES[0], images=LETTER_SUFFIXES[1]
            )
        ),
    ],
    pretty: Annotated[bool, typer.Option("--pretty", help=_("Indent the JSON"))] = False,
    redact: Annotated[
        bool,
        typer.Option("--redact", help=_("Mask phone numbers, e-mail addresses, contact names")),
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help=_("Print each task with the rules of the guideline that decided it")
        ),
    ] = False,
) -> None:
    from vanban.extractors.rules import tracing
    from vanban.pipeline.extract import extract as run
    from vanban.pipeline.load import load

    try:
        with tracing() as skipped:
            doc = run(load(file, Limits()))
        if redact:
            from vanban.pipeline.redact import redact_document

            doc = redact_document(doc)
    except VanbanError as exc:
        raise _fail(exc) from exc
    if explain:
        sys.stdout.write(_explained(doc) + _not_tasks(doc, skipped) + "\n")
        return
    sys.stdout.write(doc.model_dump_json(indent=2 if pretty else None) + "\n")


def _explained(doc: Document) -> str:
    """The tasks as a reader checks them: label, part, text, values, and why."""
    out = [f"{doc.doc_type or '—'} {doc.number or '—'} · {len(doc.tasks)} task(s)"]
    for t in doc.tasks:
        text = " ".join(t.text.split())
        out.append("")
        out.append(
            f"{t.label}  [{t.span[0]}, {t.span[1]})" + (f"  in {t.part[:60]}…" if t.part else "")
        )
        out.append(f"  {text[:160]}{'…' if len(text) > 160 else ''}")
        out.append(f"  lead: {', '.join(a.name for a in t.lead) or '—'}")
        if t.coordinate:
            out.append(f"  coordinate: {', '.join(a.name for a in t.coordinate)}")
        if t.monitor:
            out.append(f"  monitor: {', '.join(a.name for a in t.monitor)}")
        due = (t.deadline.date or t.deadline.recurrence) if t.deadline else None
        due = due or "—"
        out.append(f"  deadline: {due}" + (f" ({t.deadline.raw})" if t.deadline else ""))
        out += [f"  because {r}" for r in t.rules]
    return "\n".join(out)


def _not_tasks(doc: Document, skipped: list[tuple[tuple[int, int], Rule]]) -> str:
    """The items a rule kept from being tasks, with the rule: why a line gave no task."""
    if not skipped:
        return ""
    out = ["", "", f"not tasks · {len(skipped)}"]
    for (s, e), rule in sorted(skipped, key=lambda x: x[0]):
        text = " ".join(doc.text[s:e].split())
        out.append(f"  [{s}, {e})  {text[:100]}{'…' if len(text) > 100 else ''}")
        out.append(f"    because {rule}")
    return "\n".join(out)


@app.command(
    help=_(
        "List the rules of the guideline the extractor applies: id, what each decides, the "
        "sentence of ANNOTATION.md it implements, the nodes of the letter it reads."
    )
)
def rules(
    as_json: Annotated[bool, typer.Option("--json", help=_("Print the rules as JSON"))] = False,
) -> None:
    from vanban.extractors.rules import RULES

    if as_json:
        rows = [
            {
                "id": r.id,
                "decides": r.decides,
                "says": r.says,
                "annotation": r.annotation,
                "reads": list(r.reads),
            }
            for r in RULES.values()
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    for r in RULES.values():
        sys.stdout.write(
            f"{r.id:<18} {r.decides:<10} {r.says} ({r.annotation}) · reads {', '.join(r.reads)}\n"
        )


@app.command(
    help=_(
        "Print the tree of one letter: its parts, items and tables with their spans. For "
        "whoever writes a rule, and for a user who asks why a task came out as it did."
    )
)
def tree(
    file: Annotated[
        Path, typer.Argument(help=_("A letter: {formats}").format(formats=LETTER_SUFFIXES[0]))
    ],
    as_json: Annotated[bool, typer.Option("--json", help=_("Print the tree as JSON"))] = False,
) -> None:
    from vanban.extractors.tree import build_letter, render, to_dict
    from vanban.pipeline.load import load

    try:
        letter = build_letter(load(file, Limits()).text_doc())
    except VanbanError as exc:
        raise _fail(exc) from exc
    if as_json:
        data = to_dict(letter) | {"text": letter.text}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(render(letter)) + "\n")


@app.command(
    help=_(
        "Write OUT/documents.jsonl, OUT/tasks.jsonl and OUT/errors.jsonl for every letter in "
        "FOLDERS (folders, walked recursively, or single files). A file that cannot be read, "
        "or goes past a limit (--timeout, --max-memory-mb, --max-size-mb, --max-pages), gets "
        "an error record and the batch goes on. Runs in parallel; OUT/manifest lets a second "
        "run skip unchanged files, redo changed ones, and resume an interrupted run. "
        "OUT/summary.json holds the summary, OUT/vanban.log a log of each run. Exit status: "
        "0 every file was read; 1 some files could not be read (--no-fail-on-error: 0); "
        "2 wrong use; 3 some folders could not be entered; 130 interrupted."
    )
)
def ingest(
    folders: Annotated[
        list[Path],
        typer.Argument(help=_("Folders of letters (walked recursively) or letters")),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help=_("Output folder"))],
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help=_("Print only problems: no progress bar, no summary table")
        ),
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help=_("Also list each file that could not be read, with its reason"),
        ),
    ] = 0,
    fail_on_error: Annotated[
        bool,
        typer.Option(
            "--fail-on-error/--no-fail-on-error",
            help=_("Exit with status 1 when some files could not be read (default)"),
        ),
    ] = True,
    successor_as_of: Annotated[
        str | None,
        typer.Option(
            "--successor-as-of",
            help=_("Add to each agency the body that holds its duties on this date (YYYY-MM-DD)"),
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help=_("Worker processes (default: every core; Dask: its workers)"),
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option("--engine", help=_("local (a process pool here) or dask (a Dask cluster)")),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help=_(
                "Dask scheduler, tcp://HOST:PORT (default: a local cluster started and closed here)"
            ),
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help=_("Process every file again, not only new and changed ones")),
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help=_("Drop the records of files no longer in FOLDERS"))
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help=_("Files sent to a worker at a time"))
    ] = 32,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", min=0, help=_("Seconds one file may take, OCR included (0: no limit)")
        ),
    ] = Limits.timeout or 0,
    max_memory_mb: Annotated[
        int,
        typer.Option(
            "--max-memory-mb", min=0, help=_("Memory a worker may add for one file (0: no limit)")
        ),
    ] = Limits.max_memory_mb or 0,
    max_size_mb: Annotated[
        float,
        typer.Option("--max-size-mb", min=0, help=_("Largest file read, in MB (0: no limit)")),
    ] = Limits.max_size_mb or 0,
    max_pages: Annotated[
        int, typer.Option("--max-pages", min=0, help=_("Most pages of a PDF (0: no limit)"))
    ] = Limits.max_pages or 0,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help=_(
                "Mask phone numbers, e-mail addresses and contact persons' names in the records"
            ),
        ),
    ] = False,
    follow_links_outside: Annotated[
        bool,
        typer.Option(
            "--follow-links-outside",
            help=_("Read what symbolic links outside FOLDERS point to (not read by default)"),
        ),
    ] = False,
) -> None:
    if successor_as_of is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", successor_as_of):
        raise _fail(
            UsageError(
                "--successor-as-of takes a date as YYYY-MM-DD, not '{successor_as_of}'.",
                successor_as_of=successor_as_of,
            )
        )
    if engine not in {"local", "dask"}:
        raise _fail(UsageError("--engine is local or dask, not '{engine}'.", engine=engine))
    try:
        from vanban.pipeline.batch import ingest as run
    except KeyboardInterrupt:
        err.print(_("interrupted: nothing was written."))
        raise typer.Exit(EXIT_INTERRUPTED) from None

    log = RunLog(out)
    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        disable=quiet,
    )
    with progress:
        task = progress.add_task(_("walking the folders"), total=None)

        def start(todo: int, skipped: int) -> None:
            log.open()
            note = _("{n} unchanged, skipped").format(n=skipped) if skipped else ""
            progress.update(task, total=todo, description=note)

        def tick(path: Path, rec: object) -> None:
            progress.update(task, advance=1, description=shown(path.name[:40]))
            failed = _failed(path, rec)
            if failed:
                log.write(failed)
                if verbose:
                    progress.console.print(f"[red]✗[/] {shown(failed)}", soft_wrap=True)

        try:
            summary = run(
                folders,
                out,
                on_file=tick,
                on_start=start,
                successor_as_of=successor_as_of,
                workers=workers,
                engine=engine,
                scheduler=scheduler,
                force=force,
                prune=prune,
                batch_size=batch_size,
                limits=Limits(
                    timeout=timeout or None,
                    max_memory_mb=max_memory_mb or None,
                    max_size_mb=max_size_mb or None,
                    max_pages=max_pages or None,
                ),
                redact=redact,
                own_tmp=True,
                follow_links_outside=follow_links_outside,
            )
        except VanbanError as exc:
            log.write(_("error:") + " " + error_message(exc))
            raise _fail(exc) from exc
        except KeyboardInterrupt:
            err.print(_("interrupted: run the same command again to resume."))
            exit_within(EXIT_SECONDS, EXIT_INTERRUPTED)
            raise typer.Exit(EXIT_INTERRUPTED) from None
    if summary.interrupted:
        exit_within(EXIT_SECONDS, EXIT_INTERRUPTED)
    table = _summary_table(summary, out)
    if not quiet:
        err.print(table)
    log.write(_render_plain(table))
    for note in summary.notes:
        log.write(_("note:") + " " + note)
        err.print(f"[yellow]{_('note:')}[/] {shown(note)}", soft_wrap=True)
    code = _ingest_exit(summary, out, fail_on_error)
    log.write(_("exit status {code}").format(code=code))
    log.close()
    if code:
        raise typer.Exit(code)


def _failed(path: Path, rec: object) -> str | None:
    """`path: code: message` of a file that ended as an error record, else None."""
    line = getattr(rec, "error", None)
    if not isinstance(line, str):
        return None
    data = json.loads(line)
    return f"{path}: {data.get('error')}: {data.get('message')}"


def _summary_table(summary: Summary, out: Path) -> Table:
    table = Table(title=f"vanban ingest → {shown(str(out))}", show_header=False)
    rows: list[tuple[str, object]] = [
        (_("files read in this run"), summary.files),
        (_("skipped (unchanged)"), summary.skipped),
        (_("records (documents)"), summary.documents),
        (_("errors"), summary.errors),
        (_("duplicates"), summary.duplicates),
        (_("tasks"), summary.tasks),
        (_("pages"), summary.pages),
        (_("OCR pages"), summary.ocr_pages),
        (_("need OCR"), summary.needs_ocr),
        (_("seconds"), f"{summary.seconds:.2f}"),
        (_("letters/s"), f"{summary.letters_per_s:.1f}"),
        ("MB/s", f"{summary.mb_per_s:.3f}"),
        (_("batches"), summary.batches),
        (_("workers"), f"{summary.workers} ({summary.engine})"),
        (_("worker peak RSS"), f"{summary.worker_peak_rss_mb:.0f} MB"),
    ]
    rows += [
        (label, n)
        for label, n in [
            (_("replaced"), summary.replaced),
            (_("pruned"), summary.pruned),
            (_("gone (kept; --prune drops)"), summary.missing),
            (_("retried alone"), summary.retried),
        ]
        if n
    ]
    rows += [
        (_("in OUT: records (documents)"), summary.documents_in_out),
        (_("in OUT: tasks"), summary.tasks_in_out),
        (_("in OUT: errors"), summary.errors_in_out),
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    for code, n in sorted(summary.error_codes.items()):
        table.add_row("  " + _("error: {code}").format(code=code), str(n))
    return table


def _render_plain(table: Table) -> str:
    """The table as plain text, for the log."""
    console = Console(width=100, file=io.StringIO(), color_system=None, force_terminal=False)
    console.print(table)
    return console.file.getvalue().rstrip()  # type: ignore[attr-defined]


def exit_within(seconds: float, code: int) -> None:
    """End the process with `code` if it is still here `seconds` from now.

    Armed once an interrupted run has written and closed everything. The
    interpreter's exit then waits, with no limit, for the threads and processes
    of the workers' pool (`concurrent.futures` joins its manager thread,
    `multiprocessing` its children): one CI run waited more than a minute after
    a Ctrl-C with its records kept. A Ctrl-C must end the command, whatever a
    library's shutdown does; the stacks of the threads still running are
    printed first, so that such a wait can be traced.
    """
    import threading

    def watch() -> None:
        time.sleep(seconds)
        import faulthandler

        line = _("still exiting after {n} s: ended; the records written are kept.")
        sys.stderr.write(_("note:") + " " + line.format(n=seconds) + "\n")
        faulthandler.dump_traceback(sys.stderr, all_threads=True)
        sys.stderr.flush()
        os._exit(code)

    threading.Thread(target=watch, name="vanban-exit-within", daemon=True).start()


def _ingest_exit(summary: Summary, out: Path, fail_on_error: bool) -> int:
    """The exit status of a run, with the line that says why when it is not 0."""
    if summary.interrupted:
        return EXIT_INTERRUPTED
    if summary.unreadable_folders:
        return EXIT_FOLDERS_UNREADABLE  # incomplete: the notes say which folders
    failed = summary.errors_in_out
    if not failed:
        return 0
    total = summary.documents_in_out + failed
    line = _("{n} of {total} files could not be read: see {errors}").format(
        n=failed, total=total, errors=out / "errors.jsonl"
    )
    err.print(f"[bold yellow]{shown(line)}[/]", soft_wrap=True)
    return EXIT_FILES_FAILED if fail_on_error else 0


class RunLog:
    """OUT/vanban.log: each run's problems and summary, appended (opened once OUT
    exists and is locked; a run that fails before writes no log)."""

    def __init__(self, out: Path) -> None:
        self.path = out / "vanban.log"
        self._f: IO[str] | None = None

    def open(self) -> None:
        from datetime import datetime

        try:
            self._f = self.path.open("a", encoding="utf-8")
        except OSError:
            return
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        self.write(f"--- {stamp} vanban {' '.join(sys.argv[1:])}")

    def write(self, text: str) -> None:
        if self._f is not None:
            self._f.write(text.rstrip("\n") + "\n")

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None


@app.command("eval", help=_("Score records against gold files (ANNOTATION.md §5)."))
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help=_("Folder of gold JSON files"))],
    records: Annotated[
        Path,
        typer.Argument(
            help=_("The --out folder of `vanban ingest`, or its documents.jsonl"),
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help=_("Print the scores as JSON"))] = False,
    details: Annotated[bool, typer.Option("--details", help=_("List every miss"))] = False,
    skip_needs_ocr: Annotated[
        bool,
        typer.Option(
            "--skip-needs-ocr", help=_("Leave out scans whose record says they still need OCR")
        ),
    ] = False,
    split: Annotated[
        Path | None,
        typer.Option(
            "--split",
            help=_(
                "A split file (data/split.tsv): score the tune and check halves and each letter"
            ),
        ),
    ] = None,
    show_causes: Annotated[
        bool,
        typer.Option(
            "--causes",
            help=_("With --split: count the misses of each half by cause, without listing them"),
        ),
    ] = False,
) -> None:
    from vanban.pipeline.evaluate import (
        evaluate_files,
        evaluate_split,
        render_causes,
        render_split,
        render_text,
    )

    if records.is_dir():  # the --out folder, as the other commands take it
        records = records / "documents.jsonl"
    try:
        if split is not None:
            halves = evaluate_split(gold_dir, records, split, skip_needs_ocr=skip_needs_ocr)
            out = halves.to_dict() if as_json else None
            if out is not None:
                sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
            else:
                sys.stdout.write(render_split(halves, details) + "\n")
                if show_causes:
                    sys.stdout.write(render_causes(halves) + "\n")
            return
        report = evaluate_files(gold_dir, records, skip_needs_ocr=skip_needs_ocr)
    except VanbanError as exc:
        raise _fail(exc) from exc
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(details), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(report, details) + "\n")


@app.command(help=_("Print the JSON Schema of the records (document, task row, error)."))
def schema(
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help=_("Rewrite the schema files in schemas/ and the README's record fields"),
        ),
    ] = False,
) -> None:
    from vanban.schemas.export import (
        README_BEGIN,
        SCHEMA_DIR,
        json_schemas,
        readme_with_fields,
        render,
    )

    schemas = json_schemas()
    if write:
        for name, sch in schemas.items():
            (SCHEMA_DIR / name).write_text(render(sch), encoding="utf-8")
        err.print(_("wrote {what} to {where}").format(what=", ".join(schemas), where=SCHEMA_DIR))
        readme = SCHEMA_DIR.parent / "README.md"
        if readme.is_file() and README_BEGIN in readme.read_text("utf-8"):  # a checkout
            readme.write_text(readme_with_fields(readme.read_text("utf-8")), encoding="utf-8")
            err.print(_("wrote the record fields of {readme}").format(readme=readme))
        return
    sys.stdout.write(render({n.split(".")[0]: sch for n, sch in schemas.items()}))


agencies_app = typer.Typer(
    help=_("Look up the agency registry."), no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(agencies_app, name="agencies")


@agencies_app.command(
    "lookup",
    help=_(
        "The canonical agency, its code or id and jurisdiction, level, parent, validity and "
        "successor; for a group code, what it covers."
    ),
)
def agencies_lookup(
    text: Annotated[
        str,
        typer.Argument(
            help=_(
                "A name as printed (`Bộ KH&CN`, `UBND tỉnh Hà Giang`, `các bộ, ngành`) "
                "or a group code (`@cap-xa`)"
            )
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON"))] = False,
) -> None:
    from dataclasses import asdict

    from vanban.extractors.agencies import AgencyRegistry

    registry = AgencyRegistry.default()
    info = registry.lookup(text)
    if as_json:
        sys.stdout.write(json.dumps(asdict(info), ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(show_header=False, title=f"vanban agencies lookup {text!r}")
    for label, value in [
        (_("canonical"), info.canonical),
        (_("code / id"), info.code or info.id),
        (_("jurisdiction"), info.jurisdiction),
        (_("covers"), info.covers),
        (_("kind"), info.kind),
        (_("level"), info.level),
        (_("parent"), info.parent),
        (_("valid from"), info.valid_from),
        (_("valid to"), info.valid_to),
        (_("successor"), ", ".join(info.successors) or None),
        (_("in registry"), _("yes") if info.known else _("no (printed name kept)")),
        (_("note"), info.note or None),
        (_("source"), info.source or None),
    ]:
        table.add_row(label, "-" if value is None else str(value))
    Console().print(table)
    if info.kind == "none":
        _hint_agency(text, registry)
        raise typer.Exit(1)


def _registry_names(registry: AgencyRegistry) -> list[str]:
    names = {a.name for a in registry.data.agencies.values()}
    return sorted(names | set(registry.active("province")))


def _hint_agency(text: str, registry: AgencyRegistry, named: Iterable[str] = ()) -> None:
    """On stderr: the names (the registry's, and `named`: those of the records)
    that `text` may mean, written without its diacritics or a part of the name;
    and how to look one up."""
    import difflib

    from vanban.extractors.text_utils import fold

    names = sorted(set(_registry_names(registry)) | set(named))
    want = " ".join(fold(text).split())
    folded = {name: fold(name) for name in names}
    close = [n for n, f in folded.items() if want and (want == f or want in f)]
    close.sort(key=lambda n: (folded[n] != want, len(n)))
    if not close:
        by_fold = difflib.get_close_matches(want, list(folded.values()), n=3, cutoff=0.75)
        close = [n for n, f in folded.items() if f in by_fold]
    if close:
        err.print(_("Did you mean: {names}?").format(names="; ".join(close[:5])), soft_wrap=True)
    err.print(
        _(
            "Write the name as printed, with its diacritics (Bộ Tài chính), or find it with "
            "`vanban agencies lookup NAME` or `vanban agencies list`."
        ),
        soft_wrap=True,
    )


@agencies_app.command("list", help=_("Bodies of the registry, one per line, by level."))
def agencies_list(
    level: Annotated[
        str | None,
        typer.Option("--level", help=_("ministry, government_agency, province, …")),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help=_("Only bodies in force on this date (YYYY-MM-DD)")),
    ] = None,
) -> None:
    import difflib

    from vanban.extractors.agencies import AgencyRegistry

    reg = AgencyRegistry.default()
    known = sorted({a.level for a in reg.data.agencies.values()} | {"province"})
    if level is not None and level not in known:
        close = difflib.get_close_matches(level, known, n=1)
        hint = _("Did you mean {level}?").format(level=close[0]) + " " if close else ""
        raise _fail(
            UsageError(
                "There is no level '{level}'. {hint}The levels are: {levels}.",
                level=level,
                hint=hint,
                levels=", ".join(known),
            )
        )
    levels = [level] if level else known
    listed = 0
    for lv in levels:
        names = (
            reg.active(lv, as_of)
            if as_of or lv == "province"
            else [a.name for a in reg.data.agencies.values() if a.level == lv]
        )
        for name in names:
            sys.stdout.write(f"{lv}\t{name}\n")
            listed += 1
    if not listed:
        err.print(
            _("No body of the registry matches: in force on {date}?").format(date=as_of)
            if as_of
            else _("No body of the registry matches."),
            soft_wrap=True,
        )


@app.command(
    "export",
    help=_(
        "Write the documents, tasks and assignments (task × lead agency) tables of a run "
        "(xlsx: one workbook, with a sheet of the files that yielded no letter)."
    ),
)
def export_tables(
    out: Annotated[Path, typer.Argument(help=_("The --out folder of `vanban ingest`"))],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=_("csv (UTF-8 with BOM), parquet, xlsx, json, or sqlite (a tracker's database)"),
        ),
    ] = "csv",
    to: Annotated[
        Path | None, typer.Option("--to", help=_("Folder to write to (default OUT/export)"))
    ] = None,
    expand_groups: Annotated[
        bool,
        typer.Option(
            "--expand-groups",
            help=_(
                "One assignment row per member of a group code (@bo-nganh, @dia-phuong) "
                "on the letter's date"
            ),
        ),
    ] = False,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help=_("Mask phone numbers, e-mail addresses and contact persons' names in the tables"),
        ),
    ] = False,
) -> None:
    from vanban.pipeline.export import export as run

    try:
        paths = run(out, fmt.lower(), to, expand_groups=expand_groups, redact=redact)
    except VanbanError as exc:
        raise _fail(exc) from exc
    for path in paths:
        err.print(_("wrote {path}").format(path=shown(str(path))))


@app.command(
    help=_("Per agency, its tasks: overdue, due soon, not yet due, recurring, or without deadline.")
)
def status(
    out: Annotated[
        Path,
        typer.Argument(
            help=_(
                "The --out folder of `vanban ingest`, or the database of `export --format sqlite`"
            )
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help=_("The date to judge by (YYYY-MM-DD; default today)")),
    ] = None,
    agency: Annotated[
        str | None,
        typer.Option(
            "--agency",
            help=_(
                "Only this agency's tasks (any spelling, or a group code); "
                "'NAME @ PLACE' for one province's or ministry's: 'Sở Nội vụ @ Bắc Ninh'"
            ),
        ),
    ] = None,
    within: Annotated[
        int, typer.Option("--within", help=_("'Due soon' means due within this many days"))
    ] = 7,
    expand_groups: Annotated[
        bool,
        typer.Option(
            "--expand-groups",
            help=_(
                "List a group lead (@bo-nganh, @so-nganh…) as its member bodies on the "
                "letter's date"
            ),
        ),
    ] = False,
    done: Annotated[
        Path | None,
        typer.Option(
            "--done",
            help=_(
                "Tasks done: a file of task ids (one a line, CSV with task_id[,done_date], or JSON)"
            ),
        ),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option("--all", help=_("Also list tasks done and those of letters not yet issued")),
    ] = False,
    received: Annotated[
        str | None,
        typer.Option(
            "--received",
            help=_(
                "The day the letters were received (YYYY-MM-DD): time limits counted from "
                "receipt ('trong 30 ngày kể từ ngày nhận') run from it"
            ),
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=_("table, json or csv"))] = "table",
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON (--format json)"))] = False,
) -> None:
    from datetime import date

    from vanban.pipeline.export import read_documents
    from vanban.pipeline.status import (
        parse_date,
        read_done,
        render_status,
        status_csv,
        status_json,
        status_rows,
    )

    fmt = "json" if as_json else fmt
    try:
        if fmt not in ("table", "json", "csv"):
            raise UsageError("--format takes table, json or csv, not '{fmt}'.", fmt=fmt)
        day = parse_date(as_of) if as_of else date.today()
        docs = read_documents(out)
        rows = status_rows(
            docs,
            day,
            within=within,
            agency=agency,
            expand_groups=expand_groups,
            done=read_done(done) if done else None,
            show_all=show_all,
            received=parse_date(received, "--received") if received else None,
        )
    except VanbanError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        data = status_json(rows, day, within)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        sys.stdout.write(status_csv(rows))
    else:
        # Redirected, each row stays one line (a file or a pipe has no width to fit).
        wide = None if sys.stdout.isatty() else 100_000
        Console(width=wide).print(render_status(rows, day, within))
    if not rows and agency:
        from vanban.extractors.agencies import AgencyRegistry

        err.print(_("No task for the agency '{agency}'.").format(agency=shown(agency)))
        named = {a.name for d in docs for t in d.tasks for a in [*t.lead, *t.coordinate]}
        _hint_agency(agency, AgencyRegistry.default(), named)


@app.command(
    help=_(
        "Write the review page: an index of the letters to search and filter, each letter's "
        "text with its spans highlighted beside its fields (data in a folder beside the page)."
    )
)
def review(
    out: Annotated[Path, typer.Argument(help=_("The --out folder of `vanban ingest`"))],
    html: Annotated[
        Path,
        typer.Option("--html", help=_("The page to write; its data goes in NAME_files/ beside it")),
    ],
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help=_("Folder of gold JSON files: mark differences")),
    ] = None,
    pages: Annotated[
        bool,
        typer.Option(
            "--pages",
            help=_(
                "Show beside the text of a PDF or scan its page images (its first 10 pages,"
                " read again from where ingest found the file)"
            ),
        ),
    ] = False,
) -> None:
    from vanban.pipeline.review import letters, write_review

    try:
        title = tr("vanban review: {out}", out=out)
        path = write_review(letters(out), html, gold_dir=gold, title=title, pages=pages)
    except VanbanError as exc:
        raise _fail(exc) from exc
    err.print(_("wrote {path}").format(path=shown(str(path))))


def _workers_skip_the_script() -> None:
    """Workers are not made to run the script that started the command again.

    multiprocessing runs a `__main__` script anew in every worker it starts
    (`vanban`, the console script, imports this module: typer and rich, a
    tenth of a second a worker), but not a module run as `python -m vanban`.
    The script is given that module's name, which is what it runs; a worker
    needs nothing of it (its work is `vanban.pipeline.runner`'s).
    """
    script = sys.modules.get("__main__")
    if script is not None and getattr(script, "__spec__", None) is None:
        from importlib.machinery import ModuleSpec

        script.__spec__ = ModuleSpec("vanban.__main__", None)


def main() -> None:
    _workers_skip_the_script()
    # `--lang` may stand anywhere (`vanban ingest … --lang en`): taken out here,
    # it was read when this module was imported.
    given = i18n.lang_value(sys.argv[1:])
    lang = i18n.option_language(given) if given is not None else None
    if given is not None and lang is None:
        # Never take a folder or a file for the language (`--lang inbox …`).
        err.print(f"--lang: {_('vi or en')}, not '{given}'.", markup=False, highlight=False)
        raise SystemExit(EXIT_USAGE)
    sys.argv[1:] = i18n.strip_lang(sys.argv[1:])
    i18n.set_language(lang)
    pool_server.start_early(sys.argv[1:])  # before typer parses the options
    app()


__all__ = ["app", "main"]


if __name__ == "__main__":
    main()
