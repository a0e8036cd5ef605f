"""Boxes that apply keys in the order they were typed.

Textual gives a printable key to the focused Input or TextArea at once, but a
bound key (Backspace, arrows, Ctrl+U, Enter) first bubbles up the widget tree
and its binding runs later: keys that arrive together, as over SSH, were
applied out of order ("nvidai⌫⌫ia" gave "nvidaiia"; Textual issue 6605). These
boxes run the binding themselves, as the app would, before the next key.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea


async def _bound_here(widget: Widget, event: events.Key) -> bool:
    """Run the non-priority binding of ``event``'s key now; whether there was one."""
    check = getattr(widget.app, "_check_bindings", None)  # the app's own lookup
    if check is None or event.is_printable or not await check(event.key):
        return False
    event.stop()
    event.prevent_default()
    return True


def _handed_back(widget: Widget, event: events.Key) -> bool:
    """A key that reached the box after it let go of the focus (a burst's 'tesla⏎nn'): the
    app routes it again, to whoever has the keys now; whether it did."""
    if widget.app.focused is widget:  # (``has_focus`` changes later, with the Blur event)
        return False
    event.stop()
    event.prevent_default()
    widget.app.post_message(events.Key(event.key, event.character))
    return True


class OrderedInput(Input):
    """An Input whose editing keys keep their place among the typed characters."""

    async def _on_key(self, event: events.Key) -> None:
        if not (_handed_back(self, event) or await _bound_here(self, event)):
            await super()._on_key(event)


class OrderedTextArea(TextArea):
    """A TextArea whose bound keys (Ctrl+S, arrows) keep their place among the typed ones."""

    async def _on_key(self, event: events.Key) -> None:
        typed_here = event.key == "enter" or (
            self.tab_behavior == "indent" and event.key in ("tab", "escape")
        )
        if _handed_back(self, event):
            return
        if typed_here or not await _bound_here(self, event):
            await super()._on_key(event)
