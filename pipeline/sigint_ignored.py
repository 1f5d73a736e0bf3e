"""Imported first by the pool's forkserver: Ctrl-C is the main process's to handle.

A Ctrl-C in a terminal reaches the whole process group. The forkserver
ignores it only once it has imported the pipeline (a second or more), so a
Ctrl-C early in a run printed its `KeyboardInterrupt` traceback. Workers
forked from it ignore it too (`runner._init_worker` says why).
"""

from __future__ import annotations

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
