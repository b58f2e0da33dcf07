"""Go's Unicode text handling as the text_operation node sees it (ENGINE.md B9.9).

Python's ``str.upper``/``str.lower`` use the *full* Unicode case mappings (``"ß".upper()`` is
``"SS"``, ``"İ".lower()`` is two runes, a final sigma lowers to ``ς``); Go's ``strings.ToUpper``
and ``strings.ToLower`` map rune by rune with the *simple* mappings. The helpers here give Go's
results:

* :func:`go_upper`, :func:`go_lower`, :func:`go_inverse_case`: simple per-rune mappings;
* :func:`go_title`: Go ``cases.Title(language.English)`` applied to the lowercased text. A word
  starts at a word break; its first cased letter is title-cased. Word breaks follow the
  simplified Unicode word segmentation of ``golang.org/x/text/cases``: letters, digits, marks,
  connector punctuation and format characters continue a word; the "mid" characters
  ``' . : · ‘ ’ ․ ‧`` (and their full-width forms) continue it unless two of them are adjacent;
  everything else breaks it. Python's ``unicodedata`` has no word-break property, so it is
  approximated from general categories and script ranges (exact for Latin, Greek, Cyrillic and
  the other cased scripts, which are the only ones title casing changes);
* :func:`go_camel_case`: the engine's camelcase, including its byte-level quirk (the first
  *byte* of every later word is upper-cased as if it were a Latin-1 character, and the broken
  UTF-8 left behind becomes U+FFFD);
* :func:`go_fields` and :func:`go_trim_space`: ``strings.Fields`` / ``strings.TrimSpace`` with
  Go's ``unicode.IsSpace`` (which, unlike Python, does not count U+001C..U+001F as space).
"""

from __future__ import annotations

import re
import unicodedata

GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_RUN = re.compile(f"[{re.escape(GO_SPACE)}]+")

# Runes whose full uppercase mapping has several runes but whose simple mapping is another rune
# (Greek letters with ypogegrammeni map to the prosgegrammeni forms). Every other rune with a
# multi-rune full mapping has no simple mapping and stays unchanged.
_SIMPLE_UPPER: dict[str, str] = {
    chr(code): chr(code + 8) for base in (0x1F80, 0x1F90, 0x1FA0) for code in range(base, base + 8)
}
_SIMPLE_UPPER.update({"\u1fb3": "\u1fbc", "\u1fc3": "\u1fcc", "\u1ff3": "\u1ffc"})
_SIMPLE_LOWER: dict[str, str] = {"\u0130": "i"}


def go_is_space(ch: str) -> bool:
    """Go ``unicode.IsSpace``."""
    return ch in GO_SPACE


def go_trim_space(text: str) -> str:
    """Go ``strings.TrimSpace``."""
    return text.strip(GO_SPACE)


def go_fields(text: str) -> list[str]:
    """Go ``strings.Fields``: the non-empty runs between Go white space."""
    return [word for word in _SPACE_RUN.split(text) if word]


def upper_rune(ch: str) -> str:
    """Go ``unicode.ToUpper`` of one rune."""
    mapped = ch.upper()
    if len(mapped) == 1:
        return mapped
    return _SIMPLE_UPPER.get(ch, ch)


def lower_rune(ch: str) -> str:
    """Go ``unicode.ToLower`` of one rune."""
    mapped = ch.lower()
    if len(mapped) == 1:
        return mapped
    return _SIMPLE_LOWER.get(ch, ch)


def go_upper(text: str) -> str:
    """Go ``strings.ToUpper``."""
    if text.isascii():
        return text.upper()
    return "".join([upper_rune(ch) for ch in text])


def go_lower(text: str) -> str:
    """Go ``strings.ToLower`` (no final-sigma rule, unlike Python)."""
    if text.isascii():
        return text.lower()
    return "".join([lower_rune(ch) for ch in text])


def go_inverse_case(text: str) -> str:
    """Swap the case of every upper-case (Lu) and lower-case (Ll) rune; others stay."""
    out: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Lu":
            out.append(lower_rune(ch))
        elif category == "Ll":
            out.append(upper_rune(ch))
        else:
            out.append(ch)
    return "".join(out)


# --- title casing ----------------------------------------------------------------------------

_LETTER, _MID, _BREAK = 0, 1, 2

# Word_Break MidLetter, MidNumLet and Single_Quote.
_MID_RUNES = frozenset(
    "'.:\u00b7\u0387\u055f\u05f4\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a"
)
# Non-letters that Word_Break classes as ALetter, and the letters it does not (ideographs,
# kana, and the scripts segmented by dictionary: Thai, Lao, Myanmar, Khmer, Tai ...).
_EXTRA_WORD_RANGES = (
    (0x02C2, 0x02C5),
    (0x02D2, 0x02D7),
    (0x02DE, 0x02DF),
    (0x02E5, 0x02EB),
    (0x02ED, 0x02ED),
    (0x02EF, 0x02FF),
    (0x055A, 0x055C),
    (0x055E, 0x055E),
    (0x058A, 0x058A),
    (0x05F3, 0x05F3),
    (0x202F, 0x202F),
    (0x24B6, 0x24E9),
    (0xA708, 0xA716),
    (0xA720, 0xA721),
    (0xA789, 0xA78A),
)
_NOT_WORD_LETTER_RANGES = (
    (0x0E00, 0x0EFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
    (0x1950, 0x19DF),
    (0x1A20, 0x1AAF),
    (0x3005, 0x3007),
    (0x3021, 0x3029),
    (0x3038, 0x303A),
    (0x3040, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA9E0, 0xA9FF),
    (0xAA60, 0xAADF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F),
    (0x11700, 0x1174F),
    (0x16FE0, 0x18CFF),
    (0x1B000, 0x1B2FF),
    (0x20000, 0x3134F),
)


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _word_class(ch: str) -> int:
    """The x/text word-break class of an uncased rune: letter, mid or break."""
    if ch in _MID_RUNES:
        return _MID
    category = unicodedata.category(ch)
    code = ord(ch)
    if category in ("Mn", "Me", "Mc", "Nd", "Pc"):
        return _LETTER
    if category == "Cf":
        return _BREAK if code == 0x200B else _LETTER
    if category[0] == "L" or category == "Nl":
        return _BREAK if _in_ranges(code, _NOT_WORD_LETTER_RANGES) else _LETTER
    return _LETTER if _in_ranges(code, _EXTRA_WORD_RANGES) else _BREAK


def _is_cased(ch: str) -> bool:
    return ch.islower() or ch.isupper() or ch.istitle()


def go_title(text: str) -> str:
    """The engine's titlecase: ``cases.Title(language.English).String(strings.ToLower(s))``."""
    lowered = go_lower(text)
    out: list[str] = []
    mid_word = False
    previous_mid = False
    for ch in lowered:
        is_mid = ch in _MID_RUNES
        if previous_mid and is_mid:
            mid_word = False  # two adjacent "mid" characters end the word
        if _is_cased(ch):
            if mid_word:
                out.append(ch)
            else:
                out.append(ch.title())
                mid_word = True
        else:
            out.append(ch)
            if _word_class(ch) == _BREAK:
                mid_word = False
        previous_mid = is_mid
    return "".join(out)


def go_camel_case(text: str) -> str:
    """The engine's camelcase (``toCamelCase``), byte quirk included.

    Words are split on Go white space; the first is lower-cased; every later word becomes
    ``ToUpper(string(word[0])) + ToLower(word[1:])`` where ``word[0]`` is the first *byte*.
    Empty or white-space-only text is returned unchanged.
    """
    words = go_fields(text)
    if not words:
        return text
    parts = [go_lower(words[0])]
    for word in words[1:]:
        raw = word.encode("utf-8", "surrogatepass")
        first = upper_rune(chr(raw[0]))
        rest = raw[1:].decode("utf-8", "replace")
        parts.append(first + go_lower(rest))
    return "".join(parts)


__all__ = [
    "GO_SPACE",
    "go_camel_case",
    "go_fields",
    "go_inverse_case",
    "go_is_space",
    "go_lower",
    "go_title",
    "go_trim_space",
    "go_upper",
    "lower_rune",
    "upper_rune",
]
