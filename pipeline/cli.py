"""The `vanban` command: a thin shell over the library.

Only this module turns errors into exit codes and messages.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

    from vanban.pipeline.limits import Limits
    from vanban.schemas import Document, UsageError, VanbanError
except KeyboardInterrupt:
    sys.stderr.write("interrupted.\n")
    raise SystemExit(130) from None

if TYPE_CHECKING:
    from vanban.extractors.rules import Rule

app = typer.Typer(
    help="Read Vietnamese official letters and write grounded JSON task records.",
    no_args_is_help=True,
    add_completion=False,
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


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print vanban's version"
        ),
    ] = False,
) -> None:
    """Read Vietnamese official letters and write grounded JSON task records."""


def shown(text: str) -> str:
    """Text (a file name, a message that quotes one) as the terminal prints it:
    controls as escapes (`\\x1b`), bytes that are not UTF-8 as `\\xf4`, and
    `[…]`, which rich reads as markup, printed as is."""
    from rich.markup import escape

    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)
    return escape(text)


def _fail(exc: VanbanError, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {shown(exc.message)}", soft_wrap=True)
    return typer.Exit(code)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A letter: .txt, .docx or .pdf")],
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON")] = False,
    redact: Annotated[
        bool, typer.Option("--redact", help="Mask phone numbers, e-mail addresses, contact names")
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Print each task with the rules of the guideline that decided it"
        ),
    ] = False,
) -> None:
    """Print the record of one letter as JSON (within the default size and page limits)."""
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


@app.command()
def rules(
    as_json: Annotated[bool, typer.Option("--json", help="Print the rules as JSON")] = False,
) -> None:
    """List the rules of the guideline the extractor applies: id, what each decides, the
    sentence of ANNOTATION.md it implements, the nodes of the letter it reads."""
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


@app.command()
def tree(
    file: Annotated[Path, typer.Argument(help="A letter: .txt, .md, .docx, .pdf, scan …")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the tree as JSON")] = False,
) -> None:
    """Print the tree of one letter: its parts, items and tables with their spans.

    For whoever writes a rule, and for a user who asks why a task came out as it did.
    """
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


@app.command()
def ingest(
    folders: Annotated[
        list[Path], typer.Argument(help="Folder(s) of letters (walked recursively)")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
    successor_as_of: Annotated[
        str | None,
        typer.Option(
            "--successor-as-of",
            help="Add to each agency the body that holds its duties on this date (YYYY-MM-DD)",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Worker processes (default: every core; Dask: its workers)",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option("--engine", help="local (a process pool here) or dask (a Dask cluster)"),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler, tcp://HOST:PORT (default: a local cluster started and closed here)",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Process every file again, not only new and changed ones"),
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Drop the records of files no longer in FOLDERS")
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Files sent to a worker at a time")
    ] = 32,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", min=0, help="Seconds one file may take, OCR included (0: no limit)"
        ),
    ] = Limits.timeout or 0,
    max_memory_mb: Annotated[
        int,
        typer.Option(
            "--max-memory-mb", min=0, help="Memory a worker may add for one file (0: no limit)"
        ),
    ] = Limits.max_memory_mb or 0,
    max_size_mb: Annotated[
        float,
        typer.Option("--max-size-mb", min=0, help="Largest file read, in MB (0: no limit)"),
    ] = Limits.max_size_mb or 0,
    max_pages: Annotated[
        int, typer.Option("--max-pages", min=0, help="Most pages of a PDF (0: no limit)")
    ] = Limits.max_pages or 0,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Mask phone numbers, e-mail addresses and contact persons' names in the records",
        ),
    ] = False,
    follow_links_outside: Annotated[
        bool,
        typer.Option(
            "--follow-links-outside",
            help="Read what symbolic links outside FOLDERS point to (not read by default)",
        ),
    ] = False,
) -> None:
    """Write OUT/documents.jsonl, OUT/tasks.jsonl and OUT/errors.jsonl for every file in FOLDERS.

    A file past a limit (--timeout, --max-memory-mb, --max-size-mb, --max-pages)
    gets an error record and the batch goes on.

    Runs in parallel; OUT/manifest lets a second run skip unchanged files,
    redo changed ones, and resume an interrupted run. OUT/summary.json holds the summary.
    """
    if successor_as_of is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", successor_as_of):
        raise _fail(
            UsageError(f"--successor-as-of takes a date as YYYY-MM-DD, not '{successor_as_of}'.")
        )
    if engine not in {"local", "dask"}:
        raise _fail(UsageError(f"--engine is local or dask, not '{engine}'."))
    try:
        from vanban.pipeline.batch import ingest as run
    except KeyboardInterrupt:
        err.print("interrupted: nothing was written.")
        raise typer.Exit(130) from None

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
        task = progress.add_task("walking the folders", total=None)

        def start(todo: int, skipped: int) -> None:
            note = f"{skipped} unchanged, skipped" if skipped else ""
            progress.update(task, total=todo, description=note)

        def tick(path: Path, rec: object) -> None:
            progress.update(task, advance=1, description=shown(path.name[:40]))

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
            raise _fail(exc) from exc
        except KeyboardInterrupt:
            err.print("interrupted: run the same command again to resume.")
            raise typer.Exit(130) from None
    table = Table(title=f"vanban ingest → {shown(str(out))}", show_header=False)
    rows: list[tuple[str, object]] = [
        ("files", summary.files),
        ("skipped (unchanged)", summary.skipped),
        ("records (documents)", summary.documents),
        ("errors", summary.errors),
        ("duplicates", summary.duplicates),
        ("tasks", summary.tasks),
        ("pages", summary.pages),
        ("OCR pages", summary.ocr_pages),
        ("need OCR", summary.needs_ocr),
        ("seconds", f"{summary.seconds:.2f}"),
        ("letters/s", f"{summary.letters_per_s:.1f}"),
        ("MB/s", f"{summary.mb_per_s:.3f}"),
        ("batches", summary.batches),
        ("workers", f"{summary.workers} ({summary.engine})"),
        ("worker peak RSS", f"{summary.worker_peak_rss_mb:.0f} MB"),
    ]
    rows += [
        (label, n)
        for label, n in [
            ("replaced", summary.replaced),
            ("pruned", summary.pruned),
            ("gone (kept; --prune drops)", summary.missing),
            ("retried alone", summary.retried),
        ]
        if n
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    for code, n in sorted(summary.error_codes.items()):
        table.add_row(f"  error: {code}", str(n))
    err.print(table)
    for note in summary.notes:
        err.print(f"[yellow]note:[/] {shown(note)}", soft_wrap=True)
    if summary.interrupted:
        raise typer.Exit(130)
    if summary.unreadable_folders:
        raise typer.Exit(3)  # incomplete: folders that could not be read (the notes say which)


@app.command("eval")
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files")],
    records: Annotated[Path, typer.Argument(help="documents.jsonl written by ingest")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
    details: Annotated[bool, typer.Option("--details", help="List every miss")] = False,
    skip_needs_ocr: Annotated[
        bool,
        typer.Option(
            "--skip-needs-ocr", help="Leave out scans whose record says they still need OCR"
        ),
    ] = False,
    split: Annotated[
        Path | None,
        typer.Option(
            "--split",
            help="A split file (data/split.tsv): score the tune and check halves and each letter",
        ),
    ] = None,
) -> None:
    """Score records against gold files (ANNOTATION.md §5)."""
    from vanban.pipeline.evaluate import evaluate_files, evaluate_split, render_split, render_text

    try:
        if split is not None:
            halves = evaluate_split(gold_dir, records, split, skip_needs_ocr=skip_needs_ocr)
            out = halves.to_dict() if as_json else None
            if out is not None:
                sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
            else:
                sys.stdout.write(render_split(halves, details) + "\n")
            return
        report = evaluate_files(gold_dir, records, skip_needs_ocr=skip_needs_ocr)
    except VanbanError as exc:
        raise _fail(exc) from exc
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(details), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(report, details) + "\n")


@app.command()
def schema(
    write: Annotated[
        bool,
        typer.Option(
            "--write", help="Rewrite the schema files in schemas/ and the README's record fields"
        ),
    ] = False,
) -> None:
    """Print the JSON Schema of the records (document, task row, error)."""
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
        err.print(f"wrote {', '.join(schemas)} to {SCHEMA_DIR}")
        readme = SCHEMA_DIR.parent / "README.md"
        if readme.is_file() and README_BEGIN in readme.read_text("utf-8"):  # a checkout
            readme.write_text(readme_with_fields(readme.read_text("utf-8")), encoding="utf-8")
            err.print(f"wrote the record fields of {readme}")
        return
    sys.stdout.write(render({n.split(".")[0]: sch for n, sch in schemas.items()}))


agencies_app = typer.Typer(help="Look up the agency registry.", no_args_is_help=True)
app.add_typer(agencies_app, name="agencies")


@agencies_app.command("lookup")
def agencies_lookup(
    text: Annotated[
        str,
        typer.Argument(
            help="A name as printed (`Bộ KH&CN`, `UBND tỉnh Hà Giang`, `các bộ, ngành`) "
            "or a group code (`@cap-xa`)"
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """The canonical agency, its code or id and jurisdiction, level, parent, validity and
    successor; for a group code, what it covers."""
    from dataclasses import asdict

    from vanban.extractors.agencies import AgencyRegistry

    info = AgencyRegistry.default().lookup(text)
    if as_json:
        sys.stdout.write(json.dumps(asdict(info), ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(show_header=False, title=f"vanban agencies lookup {text!r}")
    for label, value in [
        ("canonical", info.canonical),
        ("code / id", info.code or info.id),
        ("jurisdiction", info.jurisdiction),
        ("covers", info.covers),
        ("kind", info.kind),
        ("level", info.level),
        ("parent", info.parent),
        ("valid from", info.valid_from),
        ("valid to", info.valid_to),
        ("successor", ", ".join(info.successors) or None),
        ("in registry", "yes" if info.known else "no (printed name kept)"),
        ("note", info.note or None),
        ("source", info.source or None),
    ]:
        table.add_row(label, "-" if value is None else str(value))
    Console().print(table)
    if info.kind == "none":
        raise typer.Exit(1)


@agencies_app.command("list")
def agencies_list(
    level: Annotated[
        str | None, typer.Option("--level", help="ministry, government_agency, province, …")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Only bodies in force on this date (YYYY-MM-DD)")
    ] = None,
) -> None:
    """Bodies of the registry, one per line, by level."""
    from vanban.extractors.agencies import AgencyRegistry

    reg = AgencyRegistry.default()
    levels = (
        [level] if level else sorted({a.level for a in reg.data.agencies.values()} | {"province"})
    )
    for lv in levels:
        names = (
            reg.active(lv, as_of)
            if as_of or lv == "province"
            else [a.name for a in reg.data.agencies.values() if a.level == lv]
        )
        for name in names:
            sys.stdout.write(f"{lv}\t{name}\n")


@app.command("export")
def export_tables(
    out: Annotated[Path, typer.Argument(help="The --out folder of `vanban ingest`")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="csv (UTF-8 with BOM), parquet, xlsx, json, or sqlite (a tracker's database)",
        ),
    ] = "csv",
    to: Annotated[
        Path | None, typer.Option("--to", help="Folder to write to (default OUT/export)")
    ] = None,
    expand_groups: Annotated[
        bool,
        typer.Option(
            "--expand-groups",
            help="One assignment row per member of a group code (@bo-nganh, @dia-phuong) on the letter's date",
        ),
    ] = False,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Mask phone numbers, e-mail addresses and contact persons' names in the tables",
        ),
    ] = False,
) -> None:
    """Write the documents, tasks and assignments (task × lead agency) tables of a run
    (xlsx: one workbook, with a sheet of the files that yielded no letter)."""
    from vanban.pipeline.export import export as run

    try:
        paths = run(out, fmt, to, expand_groups=expand_groups, redact=redact)
    except VanbanError as exc:
        raise _fail(exc) from exc
    for path in paths:
        err.print(f"wrote {shown(str(path))}")


@app.command()
def status(
    out: Annotated[
        Path,
        typer.Argument(
            help="The --out folder of `vanban ingest`, or the database of `export --format sqlite`"
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The date to judge by (YYYY-MM-DD; default today)"),
    ] = None,
    agency: Annotated[
        str | None,
        typer.Option(
            "--agency",
            help="Only this agency's tasks (any spelling, or a group code); "
            "'NAME @ PLACE' for one province's or ministry's: 'Sở Nội vụ @ Bắc Ninh'",
        ),
    ] = None,
    within: Annotated[
        int, typer.Option("--within", help="'Due soon' means due within this many days")
    ] = 7,
    expand_groups: Annotated[
        bool,
        typer.Option(
            "--expand-groups",
            help="List a group lead (@bo-nganh, @so-nganh…) as its member bodies on the letter's date",
        ),
    ] = False,
    done: Annotated[
        Path | None,
        typer.Option(
            "--done",
            help="Tasks done: a file of task ids (one a line, CSV with task_id[,done_date], or JSON)",
        ),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option("--all", help="Also list tasks done and those of letters not yet issued"),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv")] = "table",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (--format json)")] = False,
) -> None:
    """Per agency, its tasks: overdue, due soon, not yet due, recurring, or without deadline."""
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
            raise UsageError(f"--format takes table, json or csv, not '{fmt}'.")
        day = parse_date(as_of) if as_of else date.today()
        rows = status_rows(
            read_documents(out),
            day,
            within=within,
            agency=agency,
            expand_groups=expand_groups,
            done=read_done(done) if done else None,
            show_all=show_all,
        )
    except VanbanError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        data = status_json(rows, day, within)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        sys.stdout.write(status_csv(rows))
    else:
        Console().print(render_status(rows, day, within))


@app.command()
def review(
    out: Annotated[Path, typer.Argument(help="The --out folder of `vanban ingest`")],
    html: Annotated[
        Path,
        typer.Option("--html", help="The page to write; its data goes in NAME_files/ beside it"),
    ],
    gold: Annotated[
        Path | None, typer.Option("--gold", help="Folder of gold JSON files: mark differences")
    ] = None,
    pages: Annotated[
        bool,
        typer.Option(
            "--pages",
            help="Show beside the text of a PDF or scan its page images (its first 10 pages,"
            " read again from where ingest found the file)",
        ),
    ] = False,
) -> None:
    """Write the review page: an index of the letters to search and filter, each letter's
    text with its spans highlighted beside its fields (data in a folder beside the page)."""
    from vanban.pipeline.review import letters, write_review

    try:
        title = f"vanban review: {out}"
        path = write_review(letters(out), html, gold_dir=gold, title=title, pages=pages)
    except VanbanError as exc:
        raise _fail(exc) from exc
    err.print(f"wrote {shown(str(path))}")


def main() -> None:
    app()


__all__ = ["Document", "app", "main"]


if __name__ == "__main__":
    main()
