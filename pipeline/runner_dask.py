"""The same batches on a Dask distributed cluster (`vanban ingest --engine dask`).

With `scheduler` (`tcp://HOST:8786`) the batches go to that cluster's
workers, which need the `vanban` package (and Tesseract, LibreOffice for the
files that need them) and must reach the input paths; records come back to
this process, which alone writes OUT. Without it a `LocalCluster` of
`workers` processes is started here and closed at the end, with every
process it started.

Our `LocalCluster` runs one task per worker process at a time
(`threads_per_worker=1`, `worker-saturation` 1.0) and lets the scheduler
retry nothing (`allowed-failures` 0): a worker that dies fails exactly the
batch it was running, whose files `run_ordered` then retries once, each
alone. A cluster of your own keeps its scheduler's settings (by default Dask
retries a task three times before it gives up).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import Any

from vanban.pipeline.runner import BatchOutput, FileResult, Options, run_batch
from vanban.schemas import Phrase, UsageError

_LOG_ENV = "DASK_LOGGING__DISTRIBUTED"
_LOCAL_CONFIG = {
    "distributed.scheduler.allowed-failures": 0,
    "distributed.scheduler.worker-saturation": 1.0,
}


class DaskEngine:
    name = "dask"

    def __init__(
        self, workers: int, scheduler: str | None = None, local_directory: str | None = None
    ) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.generation = 0
        self._cluster: Any = None
        # Dask logs every connection at INFO to stderr: keep the warnings only,
        # here and in the worker processes (which read it from the environment).
        self._logger = logging.getLogger("distributed")
        self._level = self._logger.level
        self._logger.setLevel(logging.WARNING)
        self._env = os.environ.get(_LOG_ENV)
        os.environ[_LOG_ENV] = "warning"
        try:
            if scheduler is None:
                with dask.config.set(_LOCAL_CONFIG):
                    self._cluster = LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address="127.0.0.1:0",
                        silence_logs=logging.ERROR,
                        # Its scratch space under --out, not the system's temporary folder.
                        local_directory=local_directory,
                    )
                    self._client = Client(self._cluster)
            else:
                self._client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            self._quiet_off()
            raise UsageError(
                "Cannot reach the Dask scheduler {scheduler}: {reason}. "
                "Check that it is running and that this machine can reach it.",
                scheduler=scheduler or Phrase("(local)"),
                reason=exc,
            ) from exc
        threads = sum(self._client.nthreads().values())
        self.workers = max(1, threads)
        # No retries by Dask's executor: a failed batch is retried file by file.
        self._executor = self._client.get_executor(pure=False)

    def submit(self, paths: list[str], options: Options) -> Future[BatchOutput]:
        fut: Future[BatchOutput] = self._executor.submit(run_batch, paths, options)
        return fut

    def lost(self, exc: BaseException, generation: int) -> str | None:
        from distributed.scheduler import KilledWorker

        if self._client.status not in {"running", "connecting"}:
            raise UsageError(
                "The connection to the Dask scheduler was lost: check the cluster, "
                "then run the same command again to resume."
            ) from exc
        if isinstance(exc, KilledWorker):
            return "the Dask worker running it died"
        return None

    def isolate(
        self, paths: list[str], options: Options, stop: Callable[[], bool]
    ) -> list[FileResult | BaseException]:
        # Dask fails only the task whose worker died: the files can run at once.
        futs = [self._executor.submit(run_batch, [p], options) for p in paths]
        while not all(f.done() for f in futs):
            if stop():
                for f in futs:
                    f.cancel()
                raise InterruptedError
            wait(futs, timeout=0.2)
        out: list[FileResult | BaseException] = []
        for f in futs:
            try:
                out.append(f.result().results[0])
            except Exception as exc:
                self.lost(exc, -1)  # raises when the whole cluster is gone
                out.append(exc)
        return out

    def close(self) -> None:
        try:
            self._client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()
            self._quiet_off()

    def _quiet_off(self) -> None:
        self._logger.setLevel(self._level)
        if self._env is None:
            os.environ.pop(_LOG_ENV, None)
        else:
            os.environ[_LOG_ENV] = self._env

    def abort(self) -> None:
        self.close()
