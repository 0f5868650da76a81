"""Terminal styles that read in light and dark themes alike.

No style sets a colour on only one side: a foreground alone (or a background alone) meets the theme's
own background (or text), which is white in one theme and black in another, and no foreground colour
keeps 4.5:1 against both. So every coloured style is a badge: dark ink on a light tint, or white on a
dark colour, each pair at least 4.5:1 (WCAG AA) whatever the theme. Everything else is the theme's own
text colour, with bold, italic or underline.
"""

from __future__ import annotations

from rich.console import Console

INK = "#1f2933"  # dark text on the light tints
WHITE = "#ffffff"

SEVERITY = {
    "error": f"bold {WHITE} on #b42318",
    "warning": f"bold {INK} on #f6c26b",
    "info": f"bold {WHITE} on #1e4e8c",
}
GRADE = {
    "outstanding": f"bold {WHITE} on #14532d",
    "good": f"bold {WHITE} on #1f7a3a",
    "requires_improvement": f"bold {INK} on #f6c26b",
    "inadequate": f"bold {WHITE} on #b42318",
}
MISSING = f"bold {WHITE} on #b42318"
OK = f"bold {WHITE} on #1f7a3a"
FIX = "bold"
NOTE = "italic"


def dimension_label(dimension: str) -> str:
    """A dimension's name as a badge: ink on the dimension's tint (the colour its words are marked in)."""
    from analyser.registry import DIMENSION_TINTS

    return f"bold {INK} on {DIMENSION_TINTS.get(dimension, '#e4e7eb')}"


def highlight(dimension: str) -> str:
    """Marked words in the record: ink on the dimension's tint, underlined (colour is never the only cue)."""
    from analyser.registry import DIMENSION_TINTS

    return f"underline {INK} on {DIMENSION_TINTS.get(dimension, '#e4e7eb')}"


def plain(console: Console) -> bool:
    """No colours will show (NO_COLOR, a pipe or a file): findings are then marked with brackets."""
    return console.no_color or console.color_system is None
