"""The `vanban` command: a thin shell over the library.

Only this module turns errors into exit codes and messages.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from schemas import Document, VanbanError

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
) -> None:
    """Write OUT/documents.jsonl and OUT/errors.jsonl for every file in FOLDERS."""
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
            summary = run(folders, out, on_file=tick)
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


def main() -> None:
    app()


__all__ = ["Document", "app", "main"]


if __name__ == "__main__":
    main()
