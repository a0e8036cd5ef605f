"""Hand a thread worker's result to the UI thread without waiting for it.

Textual's ``call_from_thread`` blocks the worker until the UI has run the
call; when the app is closing the UI never does, and quitting waits forever
on that worker. A posted message is thread-safe and never blocks: a closing
app simply drops it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from textual.message import Message
from textual.message_pump import MessagePump


class Later(Message):
    """Run ``callback(*args)`` on the UI thread."""

    def __init__(self, callback: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.callback = callback
        self.args = args


T = TypeVar("T")


class RunsLater(MessagePump):
    """Mixin for widgets, screens and apps whose thread workers use ``later``."""

    def later(self, callback: Callable[..., Any], *args: Any) -> None:
        """From any thread: run ``callback(*args)`` soon on the UI thread."""
        self.post_message(Later(callback, *args))

    def in_background(
        self,
        work: Callable[[], T],
        then: Callable[[T], None],
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``work`` in a daemon thread and hand its result to ``then`` on the UI thread.

        Unlike a Textual thread worker (a pool thread that Python joins at exit),
        a daemon thread never makes quitting wait for seconds of CPU-bound work.
        """

        def run() -> None:
            try:
                result = work()
            except Exception as exc:
                if failed is not None:
                    self.later(failed, exc)
                return
            self.later(then, result)

        threading.Thread(target=run, name="margin-background", daemon=True).start()

    def on_later(self, message: Later) -> None:
        message.stop()
        if self.app.is_running:  # a result arriving while the app shuts down has nowhere to go
            message.callback(*message.args)
