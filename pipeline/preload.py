"""Imported by the pool's forkserver after the pipeline: what every letter needs
on first use is made there once, before any worker is forked.

The agency registry (read and indexed, ~50 ms) and the version the records
name as their `producer` were made by each worker for its first letter; a
worker forked from the server has them, and starts with nothing to do but
read its letters (`ctypes`, which `runner._init_worker` uses, is imported here
too).
"""

from __future__ import annotations

import ctypes  # noqa: F401

from vanban.extractors.agencies import AgencyRegistry
from vanban.schemas import producer

try:
    AgencyRegistry.default()
    producer()
except Exception:  # a server that failed here would start no worker: each worker
    pass  # meets the error again with its first letter, and records it
