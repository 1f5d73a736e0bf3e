"""`python -m vanban` is the `vanban` command."""

import gc
import sys


def main() -> None:
    """The command. A first `ingest` starts its workers' server before the CLI's
    imports (typer, rich; the option parse imports pydantic): the server's import
    of the pipeline overlaps them (`vanban.pipeline.pool_server.start_early`).

    When the command is done, what it made is frozen (`gc.freeze`): the
    interpreter's exit then does not walk the modules' objects (typer, rich,
    pydantic: ~200,000 the collector tracks) in its collections, ~35 ms of a
    one-letter `ingest` (issue 16) that a caller waiting for the command paid.
    The exit runs as before (atexit, logging, the pool's finalisers, the streams
    flushed, every object freed by its count); a cycle left at exit is not freed,
    as the process ends."""
    from vanban.pipeline import pool_server

    pool_server.start_early(sys.argv[1:])
    from vanban.pipeline.cli import main as cli_main

    try:
        cli_main()
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
