"""Boxes that apply keys in the order they were typed.

Textual gives a printable key to the focused Input or TextArea at once, but a
bound key (Backspace, arrows, Ctrl+U, Enter) first bubbles up the widget tree
and its binding runs later: keys that arrive together, as over SSH, were
applied out of order ("nvidai⌫⌫ia" gave "nvidaiia"; Textual issue 6605). These
boxes run the binding themselves, as the app would, before the next key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import events
from textual.app import App
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


def _kept(held: list[events.Key] | None, event: events.Key) -> bool:
    """Keep ``event`` in ``held`` (when a list) rather than typing it; whether it was kept."""
    if held is None:
        return False
    event.stop()
    event.prevent_default()
    held.append(events.Key(event.key, event.character))
    return True


def replay(app: App[Any], keys: Sequence[events.Key]) -> list[events.Key]:
    """Route keys again, in order, to whoever has the keys by the time they are handled;
    the keys posted.

    Sent by the app: a key made while a screen handles a message is sent by that screen,
    and Textual stops it there as it bubbles up, before the app runs its bindings.
    """
    posted = [events.Key(key.key, key.character).set_sender(app) for key in keys]
    for key in posted:
        app.post_message(key)
    return posted


class OrderedInput(Input):
    """An Input whose editing keys keep their place among the typed characters."""

    held: list[events.Key] | None = None
    """While a list, the keys that come are kept there, not typed: set when what a key
    does (Enter before the hits of the query came) is decided later, so that the keys
    typed after it go where they would have gone (see ``replay``)."""

    def __init__(self, *args: Any, hold_on_submit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hold_on_submit = hold_on_submit
        """Enter starts keeping keys: what it does is decided by whoever handles
        ``Submitted``, a message that comes after the keys typed behind it."""

    async def _on_key(self, event: events.Key) -> None:
        if _handed_back(self, event) or _kept(self.held, event):
            return
        if not await _bound_here(self, event):
            await super()._on_key(event)
        elif event.key == "enter" and self.hold_on_submit:
            self.held = []


class OrderedTextArea(TextArea):
    """A TextArea whose bound keys (Ctrl+S, arrows) keep their place among the typed ones."""

    held: list[events.Key] | None = None
    """As ``OrderedInput.held``: set by Ctrl+S, which saves once the keys before it are in."""

    async def _on_key(self, event: events.Key) -> None:
        typed_here = event.key == "enter" or (
            self.tab_behavior == "indent" and event.key in ("tab", "escape")
        )
        if _handed_back(self, event) or _kept(self.held, event):
            return
        if typed_here or not await _bound_here(self, event):
            await super()._on_key(event)
