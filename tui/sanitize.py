"""Make untrusted text safe to draw in a terminal, one character at a time.

Textual passes ESC and C1 controls through to the terminal, so an article
could retitle the window, clear the screen or write the clipboard (OSC 52).
Every such character becomes a visible mark instead of being dropped: the
reader sees that something was there, and because the mapping is one
character to one character (except tab expansion in :func:`sanitize`),
offsets into the text need no translation. Article text is also composed
(NFC) first: a letter and its accent typed apart ('Zu' + U+0308 + 'rich')
would otherwise be two words to the entity rules and to find.

Marks: C0 controls show as Unicode Control Pictures (ESC -> "␛", BEL -> "␇"),
DEL as "␡", C1 controls (U+0080-U+009F, e.g. CSI U+009B) as "␦", bidi
controls (Trojan Source) as "⇄", and lone surrogates as U+FFFD.
"""

from __future__ import annotations

import re
import unicodedata

from tui.model import SINGLE_BYTE, single_byte

C1_MARK = "\u2426"  # ␦: C1 controls have no Control Picture of their own
BIDI_MARK = "\u21c4"  # ⇄: an invisible reordering of the text was here
DEL_MARK = "\u2421"  # ␡
SURROGATE_MARK = "\ufffd"

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _table(keep: str) -> dict[int, str]:
    """The mark for every unsafe code point, leaving the characters in ``keep``."""
    table = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x7F] = DEL_MARK
    table.update(dict.fromkeys(range(0x80, 0xA0), C1_MARK))
    table.update(dict.fromkeys(map(ord, _BIDI), BIDI_MARK))
    table.update(dict.fromkeys(range(0xD800, 0xE000), SURROGATE_MARK))
    # Line and paragraph separators end a line for str.splitlines but not for
    # the reader's "\n"-based blocks: make both agree.
    table[0x2028] = table[0x2029] = "\n"
    for char in keep:
        del table[ord(char)]
    return table


_TEXT_TABLE = _table(keep="\n\t")
_LINE_TABLE = _table(keep="")
_LINE_TABLE[0x2028] = _LINE_TABLE[0x2029] = chr(0x240A)  # ␊, as for "\n"


def _pattern(table: dict[int, str]) -> re.Pattern[str]:
    """A regex matching any character that ``table`` maps, as ranges (one class of 2,000
    single characters took 12 ms to compile at every start)."""
    runs: list[list[int]] = []
    for code in sorted(table):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    parts = (re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in runs)
    return re.compile("[" + "".join(parts) + "]")


_TEXT_UNSAFE = _pattern(_TEXT_TABLE)
_LINE_UNSAFE = _pattern(_LINE_TABLE)


def _safe_bytes(table: dict[int, str], encoding: str) -> bytes:
    """The bytes of ``encoding`` whose characters ``table`` leaves as they are."""
    chars = bytes(range(256)).decode(encoding, "replace")
    return bytes(byte for byte, char in enumerate(chars) if ord(char) not in table)


_TEXT_SAFE = {encoding: _safe_bytes(_TEXT_TABLE, encoding) for encoding in SINGLE_BYTE}
_LINE_SAFE = {encoding: _safe_bytes(_LINE_TABLE, encoding) for encoding in SINGLE_BYTE}

MARKS: frozenset[str] = frozenset(v for v in _LINE_TABLE.values() if v != "\n")
"""Every mark sanitize can produce, so the reader can style them."""

_MAX_REPLACE_PASSES = 8


def _apply(
    text: str, table: dict[int, str], unsafe: re.Pattern[str], safe: dict[str, bytes]
) -> str:
    """Map the unsafe characters of ``text`` through ``table``.

    str.translate looks up every character (over a second for 20 MB), while
    real text holds few distinct unsafe characters: one regex scan plus a
    str.replace per distinct character is ~10x faster. Hostile text with many
    distinct ones falls back to translate. Text that latin-1 or cp1252 writes, the
    common case, is cleared by a bytes scan that is ~5x faster than the regex.
    """
    single = single_byte(text)
    if single is not None and not single[0].translate(None, safe[single[1]]):
        return text
    match = unsafe.search(text)
    passes = 0
    while match is not None:
        passes += 1
        if passes > _MAX_REPLACE_PASSES:
            return text.translate(table)
        char = match.group()
        text = text.replace(char, table[ord(char)])
        match = unsafe.search(text, match.start() + 1)
    return text


def sanitize(text: str) -> str:
    """Article text safe for a terminal: only "\\n" remains of the controls.

    Tabs are expanded to spaces at 4-column tab stops (counted in characters),
    since indentation is what a tab means in an article and a mark would
    clutter every indented line.
    """
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _apply(text, _TEXT_TABLE, _TEXT_UNSAFE, _TEXT_SAFE)
    return text.expandtabs(4) if "\t" in text else text


def sanitize_line(text: str) -> str:
    """One-line text (a title, a file name, an error): no control at all.

    Newline and tab become the marks "␊" and "␉", so the value cannot break
    the one line it is drawn on.
    """
    return _apply(text, _LINE_TABLE, _LINE_UNSAFE, _LINE_SAFE)
