"""The style of a component class for a span of text drawn over a widget."""

from __future__ import annotations

from dataclasses import replace

from textual.style import Style
from textual.widget import Widget


def span_style(widget: Widget, name: str) -> Style:
    """``widget``'s component class ``name`` as a span's style.

    A partial style leaves what the class does not set (the colour, most
    often) to the text below; but Textual's partial style drops an opaque
    background ($accent under the current hit: dark text on nothing) and
    thins a translucent one. The background is taken as drawn: the class's
    over the widget's.
    """
    style = widget.get_visual_style(name, partial=True)
    if widget.get_component_styles(name).has_rule("background"):
        style = replace(style, background=widget.get_visual_style(name).background)
    return style
