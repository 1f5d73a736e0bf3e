"""Imported first by the pool's forkserver: Ctrl-C is the main process's to
handle, and the collector waits until the pipeline is imported.

A Ctrl-C in a terminal reaches the whole process group. The forkserver
ignores it only once it has imported the pipeline (a second or more), so a
Ctrl-C early in a run printed its `KeyboardInterrupt` traceback. Workers
forked from it ignore it too (`runner._init_worker` says why).

The server's import of the pipeline is most of a run's fixed cost (issue 16),
and it makes objects that live as long as the workers (modules, patterns, the
registry): the collector's passes over them while they are made found little
(~1,500 objects of import-time cycles) and cost ~20 ms of the ~0.35 s. It is
paused here and set going again once the server has made everything
(`preload._settle`, which freezes those objects first); a worker sets it going
whatever happened (`runner._init_worker`). The patterns are made from the
programs a previous run kept (`pattern_cache`), not parsed and compiled again.
"""

from __future__ import annotations

import gc
import signal

from vanban.pipeline import pattern_cache

signal.signal(signal.SIGINT, signal.SIG_IGN)
gc.disable()

# The regular expressions the pipeline compiles are made from the programs a
# previous run kept (`pattern_cache`): before anything of the pipeline is imported.
pattern_cache.install()
