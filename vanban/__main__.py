"""`python -m vanban` is the `vanban` command."""

from vanban.pipeline.cli import main

main()
