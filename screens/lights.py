"""How a traffic light is drawn in the app: a glyph of its own for each state, its colour, and
its word where there is room, so that a light reads the same without colour (``NO_COLOR``, a
monochrome terminal, colour blindness) and on a light theme.

The user's ``light_style`` (``vatui config``) chooses: ``emoji`` (the default) draws glyphs,
with the word beside them in labels; ``words`` and ``none`` write the words alone, as the
export does. The App sets it once at start (``use_light_style``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rich.text import Span, Text
from vatui.store import Light

#: A shape per state: full when the target is met, half when half way, a cross when behind,
#: empty when nothing can be said. The shapes differ where the colours cannot be seen.
GLYPHS = {Light.GREEN: "●", Light.AMBER: "◐", Light.RED: "✕", Light.GREY: "○"}
#: Fixed colours, not theme colours: a light must read the same in every theme. The grey is
#: dark enough to be seen on a light background too.
LIGHT_COLOURS = {
    Light.GREEN: "#3fb950",
    Light.AMBER: "#d29922",
    Light.RED: "#f85149",
    Light.GREY: "#768390",
}
#: What each light means, for the legend.
MEANINGS = {
    Light.GREEN: "target met",
    Light.AMBER: "half way",
    Light.RED: "behind",
    Light.GREY: "no value or target",
}
STYLES = ("emoji", "words", "none")


class _Drawing:
    """The light style in use: glyphs (with words in labels), or words only."""

    glyphs = True


_drawing = _Drawing()


def use_light_style(style: str) -> None:
    """Draw lights as ``style`` says from now on (``emoji``, ``words`` or ``none``)."""
    _drawing.glyphs = style not in ("words", "none")


def light_dot(light: Light) -> Text:
    """The light's glyph in its colour, or its word where glyphs are not wanted."""
    light = Light(light)
    shown = GLYPHS[light] if _drawing.glyphs else light.value
    return Text(shown, style=LIGHT_COLOURS[light])


def light_label(light: Light, why: str = "") -> Text:
    """The glyph and the light's name (``✕ red``), and ``why`` after it when given; the name
    alone in the ``words`` style."""
    light = Light(light)
    word = light.value + (f" ({why})" if why else "")
    if not _drawing.glyphs:
        return Text(word, style=LIGHT_COLOURS[light])
    return Text.assemble(light_dot(light), " ", word)


def light_dots(groups: Iterable[Iterable[Light]]) -> Text:
    """An installation's metric lights: one glyph per light, the groups (its sites) set apart
    by a space, built in one go (the dashboard makes one per row it shows). In the ``words``
    style, how many of each (``1 green 4 red``)."""
    if not _drawing.glyphs:
        counts = Counter(Light(light) for group in groups for light in group)
        parts = [
            Text(f"{counts[light]} {light.value}", style=LIGHT_COLOURS[light])
            for light in GLYPHS
            if counts[light]
        ]
        return Text(" ").join(parts)
    plain: list[str] = []
    spans: list[Span] = []
    for index, group in enumerate(groups):
        if index:
            plain.append(" ")
        for light in group:
            light = Light(light)
            spans.append(Span(len(plain), len(plain) + 1, LIGHT_COLOURS[light]))
            plain.append(GLYPHS[light])
    return Text("".join(plain), spans=spans)


def legend() -> Text:
    """Each light's glyph, its word and what it means."""
    parts = [
        Text.assemble(light_label(light), f": {meaning}") for light, meaning in MEANINGS.items()
    ]
    return Text("  ").join(parts)
