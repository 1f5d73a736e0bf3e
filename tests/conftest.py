"""Hypothesis budgets for the property tests, chosen with `HYPOTHESIS_PROFILE`.

- `ci` (the default, what `make test` runs): a small fixed number of examples,
  derandomised, so a run is reproducible and the property tests cost seconds.
- `fuzz` (`make fuzz`): thousands of random examples per test; a failing
  example is saved in `.hypothesis/` and replayed first on the next run.

Tests that are slow per example (OCR, LibreOffice) scale their share of the
budget with `tests.fuzzing.budget`.

The `font` fixture is here for every test that builds a PDF.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile(
    "ci",
    max_examples=20,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_OK,
)
settings.register_profile(
    "fuzz",
    max_examples=500,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_OK,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The tests read vanban's English messages, whatever the developer's locale
# (`vanban.pipeline.i18n`); tests/test_i18n.py sets the language it checks.
os.environ["VANBAN_LANG"] = "en"


@pytest.fixture(scope="module")
def font() -> Path:
    """A TrueType font with Vietnamese glyphs, for the PDFs the tests build."""
    from tests.test_load_pdf import _font_file

    path = _font_file()
    if path is None:
        # `make test` installs fonts-dejavu-core; without it the test must fail, not skip.
        pytest.fail(
            "no TrueType font with Vietnamese glyphs to build test PDFs: apt-get install fonts-dejavu-core"
        )
    return path
