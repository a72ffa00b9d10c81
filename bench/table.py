"""The benchmark table: one :class:`Row` per figure, printed as text or Markdown.

Every row compares djpyfs with one peer measured in the same run.  The ratio
is always "how many times better djpyfs is": the peer's time over djpyfs's
(above 1: djpyfs is faster), or the peer's request count over djpyfs's.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields


@dataclass
class Row:
    """One line of the table; every field is already formatted text."""

    operation: str
    djpyfs: str
    peer: str
    peer_figure: str
    ratio: str = ""
    target: str = ""
    note: str = ""
    section: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


HEADERS = {
    "operation": "Operation",
    "djpyfs": "djpyfs",
    "peer": "Peer",
    "peer_figure": "Peer's figure",
    "ratio": "Ratio",
    "target": "Target",
}


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def seconds(value: float) -> str:
    """A duration with three significant figures and a sensible unit."""
    if value >= 1:
        return f"{value:.3g} s"
    if value >= 1e-3:
        return f"{value * 1e3:.3g} ms"
    return f"{value * 1e6:.3g} µs"


def requests(count: float) -> str:
    return f"{count:,.0f} req"


def mib(size: float) -> str:
    return f"{size / 2**20:,.0f} MiB"


def times(peer: float, ours: float) -> str:
    """``peer / ours`` as ``12x``: how many times better djpyfs is."""
    if ours == 0:
        return "∞" if peer else "1x"
    ratio = peer / ours
    if ratio >= 100:
        return f"{ratio:,.0f}x"
    if ratio >= 10:
        return f"{ratio:.1f}x"
    return f"{ratio:.2f}x"


def verdict(met: bool, target: str) -> str:
    return f"{target}: {'met' if met else 'MISSED'}"


def _widths(rows: Sequence[Row], columns: Iterable[str]) -> dict[str, int]:
    return {
        name: max(len(HEADERS[name]), *(len(getattr(row, name)) for row in rows))
        for name in columns
    }


def _sections(rows: Sequence[Row]) -> list[tuple[str, list[Row]]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.section, []).append(row)
    return list(grouped.items())


def format_text(rows: Sequence[Row]) -> str:
    """The table as aligned plain text, one block per section."""
    columns = list(HEADERS)
    if not rows:
        return "(no figures)"
    widths = _widths(rows, columns)
    rule = "  ".join("-" * widths[name] for name in columns)
    lines = ["  ".join(HEADERS[name].ljust(widths[name]) for name in columns), rule]
    for section, section_rows in _sections(rows):
        if section:
            lines.append(f"[{section}]")
        for row in section_rows:
            lines.append(
                "  ".join(getattr(row, name).ljust(widths[name]) for name in columns)
            )
            if row.note:
                lines.append(f"    note: {row.note}")
    return "\n".join(line.rstrip() for line in lines)


def note_numbers(rows: Sequence[Row]) -> dict[int, int]:
    """The footnote number of each row with a note, by ``id(row)``."""
    numbered = [row for _, group in _sections(rows) for row in group if row.note]
    return {id(row): number for number, row in enumerate(numbered, 1)}


def format_markdown(rows: Sequence[Row]) -> str:
    """The table as Markdown, one table per section, notes as footnotes."""
    columns = list(HEADERS)
    out: list[str] = []
    notes: list[str] = []
    for section, section_rows in _sections(rows):
        if section:
            out.append(f"\n### {section}\n")
        out.append("| " + " | ".join(HEADERS[name] for name in columns) + " |")
        out.append("|" + "|".join("---" for _ in columns) + "|")
        for row in section_rows:
            cells = [getattr(row, name).replace("|", "\\|") for name in columns]
            if row.note:
                notes.append(row.note)
                cells[0] += f" [{len(notes)}]"
            out.append("| " + " | ".join(cells) + " |")
    if notes:
        out.append("")
        out.extend(f"[{number}] {note}  " for number, note in enumerate(notes, 1))
    return "\n".join(out).strip() + "\n"


def row_from(value: object, section: str) -> Row:
    """Make a :class:`Row` of whatever another benchmark module returned.

    Accepts a :class:`Row`, a mapping or object with (some of) its field names,
    or a plain sequence of cells in column order.
    """
    names = [field.name for field in fields(Row)]
    if isinstance(value, Row):
        data = value.as_dict()
    elif isinstance(value, dict):
        data = {name: value.get(name, "") for name in names}
    elif hasattr(value, "_asdict"):
        data = value._asdict()
    elif isinstance(value, list | tuple):
        data = dict(zip(names, value, strict=False))
    elif hasattr(value, "__dict__"):
        data = vars(value)
    else:
        data = {"operation": str(value)}
    cells = {
        name: "" if data.get(name) is None else str(data.get(name, ""))
        for name in names
    }
    cells["section"] = cells["section"] or section
    return Row(**cells)


_REQUESTS = re.compile(r"([\d.,]+)\s*req")
_SECONDS = re.compile(r"([\d.,]+)\s*(µs|us|ms|s)\b")
_UNITS = {"µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def parse_figure(text: str) -> tuple[float | None, float | None]:
    """``(requests, seconds)`` read from a figure such as ``"2 req, 3.1 ms"``."""
    found_requests = _REQUESTS.search(text)
    found_seconds = _SECONDS.search(_REQUESTS.sub("", text))
    return (
        float(found_requests.group(1).replace(",", "")) if found_requests else None,
        float(found_seconds.group(1).replace(",", "")) * _UNITS[found_seconds.group(2)]
        if found_seconds
        else None,
    )


def ratio_of_figures(ours: str, theirs: str) -> str:
    """The ratio column for two figures given as text, where both can be read."""
    our_requests, our_seconds = parse_figure(ours)
    their_requests, their_seconds = parse_figure(theirs)
    parts = []
    if our_seconds is not None and their_seconds is not None:
        parts.append(f"{times(their_seconds, our_seconds)} time")
    if our_requests is not None and their_requests is not None:
        parts.append(f"{times(their_requests, our_requests)} req")
    return ", ".join(parts)


def rows_from_columns(
    values: Sequence[Sequence[object]], columns: Sequence[str], section: str
) -> list[Row]:
    """Rows of a table with one column per peer: one :class:`Row` per peer.

    ``columns`` names the cells of each value: the operation, djpyfs, then
    one peer per column.
    """
    out = []
    for value in values:
        cells = [str(cell) for cell in value]
        for peer, figure in zip(columns[2:], cells[2:], strict=False):
            out.append(
                Row(
                    cells[0],
                    cells[1],
                    peer,
                    figure,
                    ratio_of_figures(cells[1], figure),
                    section=section,
                )
            )
    return out


#: Names other benchmark modules give djpyfs's side in their "tool" column.
OUR_TOOLS = frozenset({"djpyfs", "StorageFS", "PyFSStorage", "NamespaceFS"})


def _record_figure(record: dict) -> str:
    parts = []
    if record.get("seconds") is not None:
        parts.append(seconds(float(record["seconds"])))
    if record.get("requests") is not None:
        parts.append(requests(float(record["requests"])))
    return ", ".join(parts) or str(record.get("figure", ""))


def rows_from_records(records: Sequence[dict], section: str) -> list[Row]:
    """Rows of a long table, one record per (operation, tool): one Row per peer.

    Each record has ``operation``, ``tool`` and figures (``seconds``,
    ``requests``); djpyfs's side is the tool named in :data:`OUR_TOOLS`.
    Where a record has ``requests_per_1000_keys`` and ``keys``, the target
    "at most one request per 1,000 keys listed" is checked.
    """
    by_operation: dict[str, list[dict]] = {}
    for record in records:
        by_operation.setdefault(str(record.get("operation", "")), []).append(record)
    out = []
    for operation, group in by_operation.items():
        ours = [record for record in group if record.get("tool") in OUR_TOOLS]
        peers = [record for record in group if record.get("tool") not in OUR_TOOLS]
        for our in ours:
            label = f"{operation} ({our['tool']})"
            if "keys" in our:
                label += f", {int(our['keys']):,} keys"
            target = ""
            if "requests_per_1000_keys" in our and "keys" in our:
                # One request per started 1,000 keys: S3 lists 1,000 per page.
                allowed = max(1, math.ceil(int(our["keys"]) / 1000))
                met = float(our.get("requests", 0)) <= allowed
                target = verdict(met, f"<={allowed} req (1 per 1,000 keys)")
            figure = _record_figure(our)
            for peer in peers or [{}]:
                peer_figure = _record_figure(peer) if peer else ""
                out.append(
                    Row(
                        label,
                        figure,
                        str(peer.get("tool", "")),
                        peer_figure,
                        ratio_of_figures(figure, peer_figure) if peer else "",
                        target,
                        section=section,
                    )
                )
    return out


#: Operations whose S3 requests must not exceed the peer's (PyFSStorage's target).
REQUEST_TARGET_OPERATIONS = frozenset({"save", "open+read", "read"})


def rows_from_pairs(
    values: Sequence[object], section: str, time_targets: dict | None = None
) -> list[Row]:
    """Rows of objects holding both sides' figures of one operation.

    Each has ``operation``, ``ours`` and ``peer`` (the names of the two
    sides), ``ours_seconds`` and ``peer_seconds``, and optionally ``group``,
    ``size``, ``ours_requests`` and ``peer_requests``.  ``time_targets``
    maps a size to the largest allowed ratio of djpyfs's time to the peer's,
    checked where there are no request counts (local disk).
    """
    out = []
    for value in values:
        get = (
            value.get
            if isinstance(value, dict)
            else lambda k, v=value: getattr(v, k, None)
        )
        ours_s, peer_s = float(get("ours_seconds")), float(get("peer_seconds"))
        ours_req, peer_req = get("ours_requests"), get("peer_requests")
        size = get("size") or ""
        label = " ".join(str(part) for part in (get("operation"), size) if part)
        group = get("group")
        operation = (
            f"{group}: {label}, {get('ours')}" if group else f"{label}, {get('ours')}"
        )
        ours_figure, peer_figure = seconds(ours_s), seconds(peer_s)
        ratio = f"{times(peer_s, ours_s)} time"
        target = ""
        if ours_req is not None and peer_req is not None:
            ours_figure += f", {float(ours_req):g} req"
            peer_figure += f", {float(peer_req):g} req"
            ratio += f", {times(float(peer_req), float(ours_req))} req"
            if get("operation") in REQUEST_TARGET_OPERATIONS:
                met = float(ours_req) <= float(peer_req)
                target = verdict(met, "req <= peer's")
        elif time_targets and size in time_targets:
            allowed = time_targets[size]
            target = verdict(ours_s <= allowed * peer_s, f"time within {allowed}x")
        out.append(
            Row(
                operation,
                ours_figure,
                str(get("peer")),
                peer_figure,
                ratio,
                target,
                section=section,
            )
        )
    return out
