"""Focus that takes effect before the next key is handled."""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Give ``widget`` the focus at once.

    ``Widget.focus`` waits its turn in the app's queue, behind keys already
    typed: over SSH keys often arrive together, and those typed after `f` or
    `/` went to the reader as commands ("fxai": `a` opened the notes).
    """
    widget.screen.set_focus(widget)
