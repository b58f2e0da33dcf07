"""Rows of the benchmark table: a figure, its baseline, their ratio, the target and a verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Op = Literal["<=", "<", ">="]
Verdict = Literal["PASS", "FAIL", "INFO", "N/A"]
Unit = Literal["time", "B", "x"]  # time: seconds, printed in ms or s


@dataclass(frozen=True)
class Target:
    """A bound on the row's ``ratio`` (figure / baseline) or on its ``figure`` itself."""

    op: Op
    value: float
    on: Literal["ratio", "figure"] = "ratio"
    meaning: str = ""  # e.g. ">= 2x faster"

    def holds(self, number: float) -> bool:
        if self.op == "<=":
            return number <= self.value
        if self.op == "<":
            return number < self.value
        return number >= self.value

    def text(self) -> str:
        what = "ratio" if self.on == "ratio" else "figure"
        bound = f"{what} {self.op} {self.value:g}"
        return f"{bound} ({self.meaning})" if self.meaning else bound


@dataclass
class Row:
    """One line of the table. ``unit`` applies to figure and baseline."""

    key: str  # stable identifier, e.g. "engine.execute.10000"
    label: str
    unit: Unit
    figure: float | None = None
    baseline: float | None = None
    target: Target | None = None
    peak_figure: int | None = None  # bytes allocated at the peak, when measured
    peak_baseline: int | None = None
    note: str = ""
    available: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.figure is None or not self.baseline:
            return None
        return self.figure / self.baseline

    @property
    def verdict(self) -> Verdict:
        if not self.available:
            return "N/A"
        if self.target is None:
            return "INFO"
        number = self.ratio if self.target.on == "ratio" else self.figure
        if number is None:
            return "N/A"
        return "PASS" if self.target.holds(number) else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "figure": self.figure,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "target": None if self.target is None else self.target.text(),
            "verdict": self.verdict,
            "peak_figure_bytes": self.peak_figure,
            "peak_baseline_bytes": self.peak_baseline,
            "note": self.note,
            **({"extra": self.extra} if self.extra else {}),
        }


def unavailable(key: str, label: str, unit: Unit, reason: str) -> Row:
    return Row(key=key, label=label, unit=unit, note=f"not available: {reason}", available=False)


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "time":
        if value < 0.01:
            return f"{value * 1000:.2f} ms"
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "B":
        return _bytes(value)
    return f"{value:.2f}x"


def _bytes(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 1e6:
        return f"{value / 1e6:.1f} MB"
    return f"{value / 1e3:.1f} kB"


def _peaks(row: Row) -> str:
    if row.peak_figure is None and row.peak_baseline is None:
        return ""
    return f"{_bytes(row.peak_figure)} / {_bytes(row.peak_baseline)}"


HEADERS = ("benchmark", "figure", "baseline", "ratio", "target", "verdict", "peak alloc f/b")


def render(rows: list[Row], machine: dict[str, str], settings: dict[str, Any]) -> str:
    """The table as text: machine header, one line per row, then the notes."""
    lines = [f"{key}: {value}" for key, value in machine.items()]
    lines.append("settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()))
    lines.append("")
    cells = [HEADERS]
    for row in rows:
        ratio = row.ratio
        cells.append(
            (
                row.label,
                _amount(row.figure, row.unit),
                _amount(row.baseline, row.unit),
                "-" if ratio is None else f"{ratio:.3f}",
                "-" if row.target is None else row.target.text(),
                row.verdict,
                _peaks(row),
            )
        )
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADERS))]
    for index, line in enumerate(cells):
        lines.append("  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)))
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    notes = [f"- {row.label}: {row.note}" for row in rows if row.note]
    if notes:
        lines += ["", "notes:", *notes]
    return "\n".join(line.rstrip() for line in lines)


__all__ = ["Row", "Target", "Unit", "Verdict", "render", "unavailable"]
