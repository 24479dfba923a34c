"""Text from users (names, chart numbers, file cells, paths) made safe to show.

Three dangers, one place: control characters (a terminal obeys escape codes; a document would
draw nothing), bidirectional controls (a right-to-left override in a name reverses whatever
follows it on the same line, such as the chart number beside it), and user text meeting other
text on one line (its direction leaks into the neighbour). `visible` shows controls as symbols,
`without_bidi_controls` drops the direction codes at the door (import), and `isolated` wraps a
field in first-strong isolates so the Unicode bidirectional algorithm keeps it to itself.
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI)."""
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
ISOLATES = frozenset((FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE))
"""The two codes `isolated` adds; documents let them act (their layout removes them)."""
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"}


def symbol_for(char: str) -> str:
    """How a control character is shown: ␀…␟ and ␡ for C0 controls and DEL, [U+XXXX] for the
    rest (C1 controls, bidirectional controls, lone surrogates)."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"[U+{code:04X}]"


def is_control(char: str) -> bool:
    """A character that acts instead of showing: C0/C1 controls, surrogates, direction codes."""
    return unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS


def has_control_character(text: str) -> bool:
    return any(is_control(c) for c in text)


def visible(text: str) -> str:
    """`text` on one line with every control character (line breaks and tabs included, and the
    escape that starts a terminal's escape codes) shown as a symbol; for terminals and logs."""
    if text.isprintable():
        return text
    return "".join(symbol_for(c) if is_control(c) else c for c in text)


def printable(text: str) -> str:
    """Text as a document shows it: line breaks unified to newlines, tabs as spaces, and every
    other control character made visible (see `symbol_for`) but the isolates `isolated` adds,
    which the layout obeys and then drops."""
    for old, new in _LINE_BREAKS.items():
        text = text.replace(old, new)
    return "".join(
        " "
        if char == "\t"
        else symbol_for(char)
        if char != "\n" and char not in ISOLATES and is_control(char)
        else char
        for char in text
    )


def without_bidi_controls(text: str) -> str:
    """`text` without embeddings, overrides and isolates: none belongs in a name or a code."""
    if not any(c in BIDI_CONTROLS for c in text):
        return text
    return "".join(c for c in text if c not in BIDI_CONTROLS)


def needs_isolating(text: str) -> bool:
    """Whether `text` could reorder what is shown beside it: it holds right-to-left letters or
    direction codes (plain left-to-right text never does)."""
    return not text.isascii() and any(
        c in BIDI_CONTROLS or unicodedata.bidirectional(c) in ("R", "AL") for c in text
    )


def isolated_if_needed(text: str) -> str:
    """`isolated(text)` when it could reorder its neighbours, else `text` as it is: for screens,
    where the codes would otherwise ride along into copies and comparisons."""
    return isolated(text) if needs_isolating(text) else text


def isolated(text: str) -> str:
    """`text` between FSI and PDI, any direction code in it shown as a symbol: beside other
    text (a label, a chart number), its direction stays inside and the neighbours keep their
    order. For one user-supplied field in a document line or a screen's display string."""
    if any(c in BIDI_CONTROLS for c in text):
        text = "".join(symbol_for(c) if c in BIDI_CONTROLS else c for c in text)
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
