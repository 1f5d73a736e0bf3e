"""The analyst notebooks run top to bottom, as Jupyter runs them, on `make run`'s output."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def _execute(name: str) -> list[dict[str, object]]:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    # Started in notebooks/ as Jupyter would; the notebook finds the repository itself.
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()  # raises CellExecutionError with the cell's traceback on any error
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def _data(outputs: list[dict[str, object]], mime: str) -> list[str]:
    found = []
    for out in outputs:
        data = out.get("data")
        if isinstance(data, dict) and mime in data:
            found.append(str(data[mime]))
    return found


def test_notebooks_run_top_to_bottom_on_the_run_output() -> None:
    # One test, one notebook after the other: on a clean clone both would
    # otherwise ingest the samples into out/ at the same time.
    validate = _execute("01-validate-extraction.ipynb")
    html = _data(validate, "text/html")
    assert any('class="hl k-task' in h for h in html)  # the highlighted letter
    assert any('class="miss"' in h or "Agrees with gold" in h for h in html)
    assert _data(validate, "image/png")  # the coverage chart
    assert any("strict task F1" in t for t in _data(validate, "text/plain"))

    tracker = _execute("02-task-tracker.ipynb")
    assert len(_data(tracker, "image/png")) == 2  # tasks per agency, deadline calendar
    assert any("overdue as of" in str(o.get("text", "")) for o in tracker)
