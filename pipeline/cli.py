"""The `vanban` command: a thin shell over the library.

Only this module turns errors into exit codes and messages.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from schemas import Document, UsageError, VanbanError

app = typer.Typer(
    help="Read Vietnamese official letters and write grounded JSON task records.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)


def _fail(exc: VanbanError, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc.message}", soft_wrap=True)
    return typer.Exit(code)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A letter: .txt, .docx or .pdf")],
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON")] = False,
) -> None:
    """Print the record of one letter as JSON."""
    from pipeline.extract import extract as run
    from pipeline.load import load

    try:
        doc = run(load(file))
    except VanbanError as exc:
        raise _fail(exc) from exc
    sys.stdout.write(doc.model_dump_json(indent=2 if pretty else None) + "\n")


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
) -> None:
    """Write OUT/documents.jsonl, OUT/tasks.jsonl and OUT/errors.jsonl for every file in FOLDERS."""
    if successor_as_of is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", successor_as_of):
        raise _fail(
            UsageError(f"--successor-as-of takes a date as YYYY-MM-DD, not '{successor_as_of}'.")
        )
    from pipeline.batch import ingest as run
    from pipeline.batch import iter_files

    total = sum(1 for f in folders if f.is_dir() for _ in iter_files(f))
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
        task = progress.add_task("", total=total)

        def tick(path: Path, rec: object) -> None:
            progress.update(task, advance=1, description=path.name[:40])

        try:
            summary = run(folders, out, on_file=tick, successor_as_of=successor_as_of)
        except VanbanError as exc:
            raise _fail(exc) from exc
    table = Table(title=f"vanban ingest → {out}", show_header=False)
    for label, value in [
        ("files", summary.files),
        ("documents", summary.documents),
        ("errors", summary.errors),
        ("tasks", summary.tasks),
        ("pages", summary.pages),
        ("need OCR", summary.needs_ocr),
        ("seconds", f"{summary.seconds:.2f}"),
        ("letters/s", f"{summary.files / summary.seconds:.1f}" if summary.seconds else "-"),
    ]:
        table.add_row(label, str(value))
    for code, n in sorted(summary.error_codes.items()):
        table.add_row(f"  error: {code}", str(n))
    err.print(table)


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
) -> None:
    """Score records against gold files (ANNOTATION.md §5)."""
    from pipeline.evaluate import evaluate_files, render_text

    try:
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
        bool, typer.Option("--write", help="Rewrite the schema files in schemas/")
    ] = False,
) -> None:
    """Print the JSON Schema of the records (document and error)."""
    from schemas.export import SCHEMA_DIR, json_schemas, render

    schemas = json_schemas()
    if write:
        for name, sch in schemas.items():
            (SCHEMA_DIR / name).write_text(render(sch), encoding="utf-8")
        err.print(f"wrote {', '.join(schemas)} to {SCHEMA_DIR}")
        return
    sys.stdout.write(
        render({"document": schemas["document.schema.json"], "error": schemas["error.schema.json"]})
    )


agencies_app = typer.Typer(help="Look up the agency registry.", no_args_is_help=True)
app.add_typer(agencies_app, name="agencies")


@agencies_app.command("lookup")
def agencies_lookup(
    text: Annotated[
        str,
        typer.Argument(help="A name as printed: `Bộ KH&CN`, `UBND tỉnh Hà Giang`, `các bộ, ngành`"),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """The canonical agency, its code or id, level, parent, validity and successor."""
    from dataclasses import asdict

    from extractors.agencies import AgencyRegistry

    info = AgencyRegistry.default().lookup(text)
    if as_json:
        sys.stdout.write(json.dumps(asdict(info), ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(show_header=False, title=f"vanban agencies lookup {text!r}")
    for label, value in [
        ("canonical", info.canonical),
        ("code / id", info.code or info.id),
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
    from extractors.agencies import AgencyRegistry

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


def main() -> None:
    app()


__all__ = ["Document", "app", "main"]


if __name__ == "__main__":
    main()
