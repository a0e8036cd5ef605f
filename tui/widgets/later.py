"""Hand a thread worker's result to the UI thread without waiting for it.

Textual's ``call_from_thread`` blocks the worker until the UI has run the
call; when the app is closing the UI never does, and quitting waits forever
on that worker. A posted message is thread-safe and never blocks: a closing
app simply drops it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump


class Later(Message):
    """Run ``callback(*args)`` on the UI thread."""

    def __init__(self, callback: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.callback = callback
        self.args = args


class RunsLater(MessagePump):
    """Mixin for widgets, screens and apps whose thread workers use ``later``."""

    def later(self, callback: Callable[..., Any], *args: Any) -> None:
        """From any thread: run ``callback(*args)`` soon on the UI thread."""
        self.post_message(Later(callback, *args))

    def on_later(self, message: Later) -> None:
        message.stop()
        message.callback(*message.args)
