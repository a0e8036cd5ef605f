"""``python -m tui`` runs margin, as the installed ``margin`` command does."""

from tui.cli import run

run()
