"""`python -m vanban` is the `vanban` command."""

import sys


def main() -> None:
    """The command. A first `ingest` starts its workers' server before the CLI's
    imports (typer, rich; the option parse imports pydantic): the server's import
    of the pipeline overlaps them (`vanban.pipeline.pool_server.start_early`)."""
    from vanban.pipeline import pool_server

    pool_server.start_early(sys.argv[1:])
    from vanban.pipeline.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
