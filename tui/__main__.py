"""``python -m tui`` runs margin, as the installed ``margin`` command does."""

from tui.cli import run

if __name__ == "__main__":  # not when a child process (the indexer) imports it
    run()
