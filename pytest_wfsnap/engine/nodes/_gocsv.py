"""Go ``encoding/csv`` as the parse and format nodes use it (ENGINE.md B9.38, B9.39).

Python's :mod:`csv` differs from Go's reader in ways that change results: Go's
``TrimLeadingSpace`` trims any Unicode white space (so with a tab delimiter it also swallows
empty TSV fields), skips blank lines, rejects bare and unbalanced quotes with positioned errors,
and enforces the first record's field count. :func:`read_all` is a direct port of Go's
``Reader.ReadAll`` with ``TrimLeadingSpace = true`` (byte columns and line numbers included),
and :func:`write_all` of ``Writer.Write`` (quoting rules, ``\\n`` line ends).
"""

from __future__ import annotations

from pytest_wfsnap.engine.nodes._gotext import GO_SPACE
from pytest_wfsnap.errors import NodeError

ERR_QUOTE = 'extraneous or missing " in quoted-field'
ERR_BARE_QUOTE = 'bare " in non-quoted-field'
ERR_FIELD_COUNT = "wrong number of fields"
ERR_INVALID_DELIM = "csv: invalid field or comment delimiter"

_SPACE_BYTES = tuple(ch.encode("utf-8") for ch in GO_SPACE)
_SPACE_FIRST_BYTES = frozenset(space[0] for space in _SPACE_BYTES)


class CSVError(Exception):
    """A Go ``csv.ParseError`` (its ``str`` is Go's ``Error()`` text)."""


def _parse_error(start_line: int, line: int, column: int, err: str) -> CSVError:
    if err == ERR_FIELD_COUNT:
        return CSVError(f"record on line {line}: {err}")
    if start_line != line:
        return CSVError(
            f"record on line {start_line}; parse error on line {line}, column {column}: {err}"
        )
    return CSVError(f"parse error on line {line}, column {column}: {err}")


def _length_nl(line: bytes) -> int:
    return 1 if line.endswith(b"\n") else 0


def _leading_space(line: bytes) -> int:
    """Byte length of the leading Go white space of ``line``."""
    position = 0
    while True:
        if position >= len(line) or line[position] not in _SPACE_FIRST_BYTES:
            return position
        for space in _SPACE_BYTES:
            if line.startswith(space, position):
                position += len(space)
                break
        else:
            return position


class _Lines:
    """Go ``Reader.readLine``: lines with ``\\n`` kept, ``\\r\\n`` normalised, line numbers."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0
        self.number = 0

    def read(self) -> bytes | None:
        """The next line, or None at end of input."""
        if self.offset >= len(self.data):
            return None
        end = self.data.find(b"\n", self.offset)
        if end < 0:
            line = self.data[self.offset :]
            self.offset = len(self.data)
            if line.endswith(b"\r"):  # a trailing \r before EOF is dropped
                line = line[:-1]
        else:
            line = self.data[self.offset : end + 1]
            self.offset = end + 1
        self.number += 1
        if line.endswith(b"\r\n"):
            line = line[:-2] + b"\n"
        return line


def read_all(text: str, comma: str) -> list[list[str]]:
    """Go ``csv.Reader.ReadAll`` with ``TrimLeadingSpace``; raises :class:`CSVError`."""
    lines = _Lines(text.encode("utf-8", "surrogatepass"))
    delimiter = comma.encode("utf-8")
    records: list[list[str]] = []
    expected = -1
    while True:
        record = _read_record(lines, delimiter)
        if record is None:
            return records
        fields, start_line = record
        if expected < 0:
            expected = len(fields)
        elif len(fields) != expected:
            raise _parse_error(start_line, start_line, 1, ERR_FIELD_COUNT)
        records.append(fields)


def _read_record(lines: _Lines, comma: bytes) -> tuple[list[str], int] | None:
    while True:  # skip empty lines
        line = lines.read()
        if line is None:
            return None
        if len(line) != _length_nl(line):
            break
    start_line = lines.number
    fields: list[str] = []
    column = 1
    while True:  # one field per iteration
        trim = _leading_space(line)
        if trim == len(line):
            column -= _length_nl(line)
        line = line[trim:]
        column += trim
        if not line or line[0] != 0x22:  # non-quoted field
            index = line.find(comma)
            field = line[:index] if index >= 0 else line[: len(line) - _length_nl(line)]
            quote = field.find(b'"')
            if quote >= 0:
                raise _parse_error(start_line, lines.number, column + quote, ERR_BARE_QUOTE)
            fields.append(field.decode("utf-8", "surrogatepass"))
            if index < 0:
                return fields, start_line
            line = line[index + len(comma) :]
            column += index + len(comma)
            continue
        # quoted field
        line = line[1:]
        column += 1
        buffer = bytearray()
        field_line = lines.number
        while True:
            index = line.find(b'"')
            if index >= 0:
                buffer += line[:index]
                line = line[index + 1 :]
                column += index + 1
                if line.startswith(b'"'):  # "" is an escaped quote
                    buffer += b'"'
                    line = line[1:]
                    column += 1
                elif line.startswith(comma):  # end of field
                    line = line[len(comma) :]
                    column += len(comma)
                    fields.append(buffer.decode("utf-8", "surrogatepass"))
                    break
                elif _length_nl(line) == len(line):  # end of record
                    fields.append(buffer.decode("utf-8", "surrogatepass"))
                    return fields, start_line
                else:
                    raise _parse_error(start_line, lines.number, column - 1, ERR_QUOTE)
            elif line:  # the field continues on the next line
                buffer += line
                column += len(line)
                following = lines.read()
                line = following if following is not None else b""
                if line:
                    field_line += 1
                    column = 1
            else:  # end of input inside quotes
                raise _parse_error(start_line, field_line, column, ERR_QUOTE)


# --- writer -----------------------------------------------------------------------------------


def _valid_delim(delimiter: str) -> bool:
    return delimiter not in ("\x00", '"', "\r", "\n", "\ufffd") and not (
        "\ud800" <= delimiter <= "\udfff"
    )


def _needs_quotes(field: str, delimiter: str) -> bool:
    if field == "":
        return False
    if field == "\\.":
        return True
    if delimiter in field or '"' in field or "\r" in field or "\n" in field:
        return True
    return field[0] in GO_SPACE


def write_all(rows: list[list[str]], delimiter: str) -> str:
    """Go ``csv.Writer`` output of ``rows`` (``\\n`` line ends); raises :class:`NodeError`
    with Go's message for an invalid delimiter (wrapped by the caller)."""
    if not _valid_delim(delimiter):
        raise NodeError(ERR_INVALID_DELIM)
    out: list[str] = []
    for row in rows:
        for index, field in enumerate(row):
            if index:
                out.append(delimiter)
            if _needs_quotes(field, delimiter):
                out.append('"' + field.replace('"', '""') + '"')
            else:
                out.append(field)
        out.append("\n")
    return "".join(out)


__all__ = [
    "ERR_BARE_QUOTE",
    "ERR_FIELD_COUNT",
    "ERR_INVALID_DELIM",
    "ERR_QUOTE",
    "CSVError",
    "read_all",
    "write_all",
]
