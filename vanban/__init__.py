"""vanban: Vietnamese official letters (văn bản) to source-grounded task records.

The public API, for notebooks and programs::

    import vanban
    doc = vanban.extract("letter.docx")       # one letter -> Document
    doc.tasks[0].lead, doc.tasks[0].deadline
    summary = vanban.ingest(["inbox/"], "out/")  # a folder tree -> OUT/documents.jsonl
    frames = vanban.load_records("out/")       # pandas DataFrames: documents, tasks, ...

The repository keeps the layout it was designed with (`pipeline/`, `extractors/`,
`schemas/` at the top); in a checkout `vanban/` links to them, and the wheel
installs them under `vanban` only, so no generic top-level name reaches a user's
environment.
"""

from __future__ import annotations

# Not `typing`'s, and no `pathlib` at import: `python -m vanban` imports this
# package before it starts the workers' server, and every module imported
# before that start delays the server's import of the pipeline (issue 16).
TYPE_CHECKING = False
if TYPE_CHECKING:  # imported on first use: `import vanban` stays light
    from pathlib import Path
    from typing import Any

    import pandas as pd

    from vanban.pipeline.batch import Summary
    from vanban.schemas.records import Document

# Looked up on first use (`__getattr__`): importlib.metadata and the search of
# the installed distributions cost every process (a worker too) 40 ms or so.
__version__: str


def __getattr__(name: str) -> Any:
    if name != "__version__":
        raise AttributeError(f"module 'vanban' has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("vanban")
    except metadata.PackageNotFoundError:  # a checkout on PYTHONPATH, not installed
        version = "0+unknown"
    globals()["__version__"] = version
    return version


__all__ = ["__version__", "extract", "ingest", "load_records"]


def extract(path: str | Path, *, redact: bool = False) -> Document:
    """Read one letter (.txt, .md, .html, .docx, .doc, .odt, .rtf, .pdf, an image)
    into its record, within the default limits (`vanban.pipeline.limits.Limits`).

    Raises a subclass of `vanban.schemas.errors.VanbanError` (its `code` is the
    error record's code) when the file cannot be read.
    """
    from pathlib import Path

    from vanban.pipeline.extract import extract as _extract
    from vanban.pipeline.limits import Limits
    from vanban.pipeline.load import load

    doc = _extract(load(Path(path), Limits()))
    if redact:
        from vanban.pipeline.redact import redact_document

        doc = redact_document(doc)
    return doc


def ingest(folders: str | Path | list[str | Path], out: str | Path, **options: Any) -> Summary:
    """Read every letter below `folders` into `out` (resumable; see
    `vanban.pipeline.batch.ingest` for the options: workers, limits, redact, prune…).
    Returns the run's summary; the records are in `out/documents.jsonl`."""
    from pathlib import Path

    from vanban.pipeline.batch import ingest as _ingest

    paths = [Path(f) for f in folders] if isinstance(folders, list) else [Path(folders)]
    return _ingest(paths, Path(out), **options)


def load_records(out: str | Path, *, expand_groups: bool = False) -> dict[str, pd.DataFrame]:
    """The records of a run as pandas DataFrames, keyed by table name
    (`documents`, `tasks`, `assignments`, …), as `vanban export` writes them."""
    from pathlib import Path

    from vanban.pipeline.export import frames, read_documents

    return frames(read_documents(Path(out)), expand_groups=expand_groups)
