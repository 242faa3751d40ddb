"""Leerkring — Mozaïekscan: each participant scores the seven building blocks from 1 to 5.

Pure core: validating a participant, the group summary, the focus material taken from the
magazine, the radar chart, CSV in and out and the Markdown report. ``export_scan`` is the only
function that touches the disk. The objects are frozen; functions return new ones.
"""
from __future__ import annotations

import csv
import io
import logging
import math
import numbers
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..util.atomic import atomic_write_bytes, atomic_write_text
from ..knowledge.cases import Case
from ..errors import InputError
from ..knowledge.corpus import SOURCE_LINE
from ..knowledge.mozaiek import BLOCK_KEYS, BLOCK_NAMES
from ..util.markdown import md_escape

if TYPE_CHECKING:  # index pulls in the store code; the scan only needs the type
    from ..knowledge.model import Knowledge

log = logging.getLogger(__name__)

SCORE_MIN, SCORE_MAX = 1, 5
NAME_MAX, REMARK_MAX, TITLE_MAX = 60, 500, 80
MAX_PARTICIPANTS = 200
WEAKEST_COUNT = 2
# The lowest block is always named; the next one only when it is low too: below the middle of the
# scale (3), or within half a point of the lowest.
WEAKEST_MARGIN = Fraction(1, 2)
SCALE_MIDDLE = 3
# Disagreement is a real split, not noise: on a 1–5 scale the lowest and highest score lie at least 3
# apart (a 2-versus-4 difference is one step either side of the middle, common within any group), the
# low end is below the middle (a block scored 3–5 by everyone is not in dispute), and in a group of
# five or more both ends are held by at least two people (one outlier is a conversation with one
# person, not a split in the group).
DISAGREEMENT_SPREAD = 3
DISAGREEMENT_LOW = 2  # the lowest score must be at most this
DISAGREEMENT_GROUP = 5  # from this many participants, each end needs two people
DISAGREEMENT_COUNT = 2
REASON_WEAKEST = "laagste gemiddelde score"
REASON_DISAGREEMENT = "grote verschillen tussen deelnemers"
RANGE_HINT = f"Een score is een heel getal van {SCORE_MIN} tot en met {SCORE_MAX}."
REMARK_COLUMNS = {key: f"opmerking_{key}" for key in BLOCK_KEYS}
CSV_COLUMNS = ("naam", *BLOCK_KEYS, *REMARK_COLUMNS.values())
REQUIRED_COLUMNS = ("naam", *BLOCK_KEYS)  # the remark columns may be left out
EXPORT_NAMES = {"md": "mozaiekscan.md", "png": "mozaiekscan.png", "csv": "mozaiekscan.csv"}
DUTCH_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                "september", "oktober", "november", "december")


# --------------------------------------------------------------------------- data

@dataclass(frozen=True)
class Participant:
    """One participant's scores and remarks, one per block in ``BLOCK_KEYS`` order."""

    name: str
    scores: tuple[int, ...]
    remarks: tuple[str, ...] = ("",) * len(BLOCK_KEYS)

    def __post_init__(self) -> None:
        if len(self.scores) != len(BLOCK_KEYS) or len(self.remarks) != len(BLOCK_KEYS):
            raise ValueError(f"need {len(BLOCK_KEYS)} scores and remarks, in BLOCK_KEYS order")
        if any(type(s) is not int or not SCORE_MIN <= s <= SCORE_MAX for s in self.scores):
            raise ValueError(f"scores must be ints {SCORE_MIN}–{SCORE_MAX}: {self.scores!r}")

    def score(self, key: str) -> int:
        return self.scores[BLOCK_KEYS.index(key)]

    def remark(self, key: str) -> str:
        return self.remarks[BLOCK_KEYS.index(key)]


@dataclass(frozen=True)
class Scan:
    """The participants of one Leerkring session, in the order they were entered."""

    participants: tuple[Participant, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "participants", tuple(self.participants))

    def __len__(self) -> int:
        return len(self.participants)

    def labels(self) -> tuple[str, ...]:
        """The name to show per participant; an empty name becomes 'Deelnemer <n>'."""
        return tuple(p.name or f"Deelnemer {i}" for i, p in enumerate(self.participants, 1))


@dataclass(frozen=True)
class BlockStats:
    key: str
    name: str
    mean: float
    min: int
    max: int
    std: float  # population standard deviation: 0 for one participant
    count: int

    @property
    def spread(self) -> int:
        return self.max - self.min


@dataclass(frozen=True)
class ScanSummary:
    participants: int
    blocks: tuple[BlockStats, ...]  # in BLOCK_KEYS order
    weakest: tuple[str, ...]  # block keys, weakest first
    disagreement: tuple[str, ...]  # block keys, most disagreement first (may be empty)

    def stats(self, key: str) -> BlockStats:
        for b in self.blocks:
            if b.key == key:
                return b
        raise KeyError(key)


@dataclass(frozen=True)
class FocusStem:
    """'Stem af met…': the block to align with (key and name) and what to align on."""

    to: str
    name: str
    text: str


@dataclass(frozen=True)
class FocusBlock:
    """A block to talk about, with the magazine's material for that conversation."""

    key: str
    name: str
    tagline: str
    reasons: tuple[str, ...]  # REASON_WEAKEST and/or REASON_DISAGREEMENT
    mean: float
    spread: int
    deepening_questions: tuple[str, ...]
    stem_af_met: tuple[FocusStem, ...]
    case: Case | None

    @property
    def why(self) -> str:
        return " en ".join(self.reasons)


# --------------------------------------------------------------------------- input

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SCORE_TEXT_RE = re.compile(r"(\d{1,3})(?:[.,]0*)?", re.ASCII)


def clean_text(value: object, max_len: int) -> str:
    """Text without control characters, on one line, stripped, at most ``max_len`` characters.

    Idempotent, so a cleaned value survives a CSV round trip unchanged.
    """
    if value is None:
        return ""
    text = "".join(ch for ch in str(value)
                   if ch.isspace() or not (ch in _BIDI_CONTROLS
                                           or unicodedata.category(ch) in ("Cc", "Cs")))
    return " ".join(text.split())[:max_len].rstrip()


REMARK_LINES_MAX = 20  # a remark keeps its line breaks, up to this many lines


def clean_remark(value: object, max_len: int = 0) -> str:
    """A remark as ``clean_text`` cleans it, but with its line breaks kept (each line cleaned,
    empty lines dropped, at most ``REMARK_LINES_MAX`` lines); idempotent like ``clean_text``."""
    max_len = max_len or REMARK_MAX
    lines = [line for line in (clean_text(part, max_len) for part in
                               str(value if value is not None else "").splitlines()) if line]
    head, tail = lines[:REMARK_LINES_MAX - 1], lines[REMARK_LINES_MAX - 1:]
    text = "\n".join(head + ([" ".join(tail)] if tail else []))
    return text[:max_len].rstrip()


def parse_score(value: object) -> int | None:
    """A whole number from 3, 3.0, '3', ' 3,0 '; None when empty; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isfinite(number) and number.is_integer():
            return int(number)
        raise ValueError(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        match = _SCORE_TEXT_RE.fullmatch(text)
        if match:
            return int(match.group(1))
    raise ValueError(value)


def _echo(value: object, limit: int = 12) -> str:
    """A user's value, safe to repeat in a message (no markup, short)."""
    text = re.sub(r"[^\w.,+\- ]", "", clean_text(value, 100))
    return text if len(text) <= limit else text[:limit] + "…"


def _join(items: list[str]) -> str:
    """'A', 'A en B', 'A, B en C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _check_scores(scores: Mapping[str, object]) -> tuple[tuple[int, ...], list[str]]:
    """The scores in block order, and one Dutch sentence per kind of problem."""
    values: list[int] = []
    missing: list[str] = []
    invalid: list[str] = []
    out_of_range: list[str] = []
    for key in BLOCK_KEYS:
        raw = scores.get(key)
        name = BLOCK_NAMES[key]
        try:
            value = parse_score(raw)
        except ValueError:
            invalid.append(f"{name} (‘{_echo(raw)}’)")
            continue
        if value is None:
            missing.append(name)
        elif not SCORE_MIN <= value <= SCORE_MAX:
            out_of_range.append(f"{name} ({_echo(raw)})")
        else:
            values.append(value)
    problems = []
    if missing:
        problems.append(f"De score ontbreekt bij {_join(missing)}.")
    if invalid:
        problems.append(f"Geen heel getal bij {_join(invalid)}.")
    if out_of_range:
        problems.append(f"Buiten het bereik bij {_join(out_of_range)}.")
    unknown = [f"‘{_echo(k, 30)}’" for k in scores if k not in BLOCK_KEYS]
    if unknown:
        problems.append(f"Onbekende bouwsteen: {_join(unknown)}.")
    return tuple(values), problems


def validate_participant(name: str | None, scores: Mapping[str, int | float | str | None],
                         remarks: Mapping[str, str] | None = None) -> Participant:
    """A participant from form input; every problem is reported at once as an ``InputError``."""
    if not isinstance(scores, Mapping):
        raise InputError("Vul voor elke bouwsteen een score in. " + RANGE_HINT)
    remarks = remarks or {}
    values, problems = _check_scores(scores)
    unknown = [f"‘{_echo(k, 30)}’" for k in remarks if k not in BLOCK_KEYS]
    if unknown:
        problems.append(f"Opmerking bij een onbekende bouwsteen: {_join(unknown)}.")
    if problems:
        raise InputError(" ".join(problems) + " " + RANGE_HINT)
    return Participant(name=clean_text(name, NAME_MAX), scores=values,
                       remarks=tuple(clean_remark(remarks.get(k), REMARK_MAX) for k in BLOCK_KEYS))


def add_participant(scan: Scan, participant: Participant) -> Scan:
    """A new scan with ``participant`` added; an empty name becomes 'Deelnemer <n>'."""
    if len(scan) >= MAX_PARTICIPANTS:
        raise InputError(f"Een scan kan hoogstens {MAX_PARTICIPANTS} deelnemers hebben.")
    if not participant.name:
        taken = {p.name for p in scan.participants}
        number = len(scan) + 1
        while f"Deelnemer {number}" in taken:
            number += 1
        participant = Participant(f"Deelnemer {number}", participant.scores, participant.remarks)
    return Scan(scan.participants + (participant,))


def remove_participant(scan: Scan, index: int) -> Scan:
    """A new scan without the participant at ``index`` (0-based)."""
    if not 0 <= index < len(scan):
        raise InputError("Die deelnemer staat niet (meer) in de scan.")
    return Scan(scan.participants[:index] + scan.participants[index + 1:])


# --------------------------------------------------------------------------- summary

def summary(scan: Scan) -> ScanSummary:
    """Per block mean, min, max, std and count; the weakest blocks and the disagreements."""
    n = len(scan)
    if n == 0:
        raise InputError("Vul eerst de scores van minstens één deelnemer in.")
    stats, means, variances = [], {}, {}
    for i, key in enumerate(BLOCK_KEYS):
        column = [p.scores[i] for p in scan.participants]
        total, squares = sum(column), sum(s * s for s in column)
        # Exact fractions, so equal means and spreads compare equal when breaking ties.
        means[key] = Fraction(total, n)
        variances[key] = Fraction(n * squares - total * total, n * n)
        stats.append(BlockStats(key=key, name=BLOCK_NAMES[key], mean=float(means[key]),
                                min=min(column), max=max(column),
                                std=math.sqrt(variances[key]), count=n))
    spread = {b.key: b.spread for b in stats}
    order = {key: i for i, key in enumerate(BLOCK_KEYS)}
    lowest = min(means.values())
    ranked = sorted(BLOCK_KEYS, key=lambda k: (means[k], -spread[k], order[k]))
    weakest = ranked[:1] + [k for k in ranked[1:WEAKEST_COUNT]
                            if means[k] < SCALE_MIDDLE or means[k] <= lowest + WEAKEST_MARGIN]
    disagreement = []
    if n >= 2:
        def split(i: int) -> bool:
            column = [p.scores[i] for p in scan.participants]
            low, high = min(column), max(column)
            ends = 2 if n >= DISAGREEMENT_GROUP else 1
            return (high - low >= DISAGREEMENT_SPREAD and low <= DISAGREEMENT_LOW
                    and column.count(low) >= ends and column.count(high) >= ends)
        candidates = [k for i, k in enumerate(BLOCK_KEYS) if split(i)]
        disagreement = sorted(candidates, key=lambda k: (-variances[k], -spread[k], order[k]))
    return ScanSummary(participants=n, blocks=tuple(stats), weakest=tuple(weakest),
                       disagreement=tuple(disagreement[:DISAGREEMENT_COUNT]))


# --------------------------------------------------------------------------- focus

def case_for_block(cases: tuple[Case, ...], key: str) -> Case | None:
    """The case the magazine puts behind this block, else the first case that touches it."""
    return (next((c for c in cases if c.blocks and c.blocks[0] == key), None)
            or next((c for c in cases if key in c.blocks), None))


def focus_material(knowledge: Knowledge, scan_summary: ScanSummary) -> list[FocusBlock]:
    """The weakest and the most disputed blocks, each with questions, 'stem af met' and a case."""
    reasons: dict[str, list[str]] = {}
    for key in scan_summary.weakest:
        reasons.setdefault(key, []).append(REASON_WEAKEST)
    for key in scan_summary.disagreement:
        reasons.setdefault(key, []).append(REASON_DISAGREEMENT)
    names = {b.key: b.name for b in knowledge.blocks}
    out = []
    for key, why in reasons.items():
        stats = scan_summary.stats(key)
        try:
            block = knowledge.block(key)
        except KeyError:  # another edition of the text without this block
            log.warning("Bouwsteen %s niet in de tekst; focus zonder verdiepende vragen", key)
            block = None
        out.append(FocusBlock(
            key=key, name=block.name if block else BLOCK_NAMES.get(key, key),
            tagline=block.tagline if block else "", reasons=tuple(why),
            mean=stats.mean, spread=stats.spread,
            deepening_questions=tuple(block.deepening_questions) if block else (),
            stem_af_met=tuple(FocusStem(s.to, names.get(s.to, BLOCK_NAMES.get(s.to, s.to)), s.text)
                              for s in block.stem_af_met) if block else (),
            case=case_for_block(knowledge.cases, key)))
    return out


# --------------------------------------------------------------------------- chart

def radar_chart_png(scan_summary: ScanSummary, title: str = "Mozaïekscan",
                    earlier: ScanSummary | None = None, earlier_label: str = "Vorige keer",
                    lang: str = "nl") -> bytes:
    """A radar chart of the group: the mean as a filled polygon, the min–max range as a band,
    and, when given, the earlier scan's mean as a dashed line. Its words in ``lang``."""
    from ..strings import ui_text
    # The object-oriented API: no pyplot, no global figure registry, any backend setting.
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    blocks = scan_summary.blocks
    angles = np.linspace(0, 2 * np.pi, len(blocks), endpoint=False)
    closed_angles = np.append(angles, angles[0])

    def closed(values):
        return np.append(values, values[0])

    fig = Figure(figsize=(6, 6), dpi=120, layout="constrained")
    canvas = FigureCanvasAgg(fig)
    try:
        ax = fig.add_subplot(projection="polar")
        ax.set_theta_offset(np.pi / 2)
        ax.set_theta_direction(-1)
        ax.set_ylim(0, SCORE_MAX)
        ax.set_yticks(range(SCORE_MIN, SCORE_MAX + 1))
        ax.set_yticklabels([str(s) for s in range(SCORE_MIN, SCORE_MAX + 1)], fontsize=8, color="#555555")
        ax.set_rlabel_position(180 / len(blocks))
        ax.set_xticks(angles)
        ax.set_xticklabels([b.name for b in blocks], fontsize=11)
        for label, angle in zip(ax.get_xticklabels(), angles):
            side = math.sin(angle)  # 0 at the top, clockwise: right half positive
            label.set_horizontalalignment("left" if side > 0.1 else "right" if side < -0.1 else "center")
        ax.tick_params(axis="x", pad=8)
        ax.grid(color="#cccccc", linewidth=0.8)
        means = closed([b.mean for b in blocks])
        if scan_summary.participants >= 2:
            lows, highs = closed([b.min for b in blocks]), closed([b.max for b in blocks])
            ax.fill_between(closed_angles, lows, highs, color="#8c8c8c", alpha=0.22, linewidth=0,
                            label=ui_text("lkc_spread", lang))
            for edge in (lows, highs):
                ax.plot(closed_angles, edge, color="#6f6f6f", linewidth=0.8, linestyle="--")
        ax.fill(closed_angles, means, color="#2f6fb0", alpha=0.28)
        ax.plot(closed_angles, means, color="#1f4e89", linewidth=2.2, marker="o", markersize=4,
                label=ui_text("lkc_mean", lang))
        if earlier is not None:
            ax.plot(closed_angles, closed([b.mean for b in earlier.blocks]), color="#9a3412",
                    linewidth=1.8, linestyle=(0, (5, 3)), marker="s", markersize=3,
                    label=ui_text("lkc_mean_earlier", lang, label=clean_text(earlier_label, TITLE_MAX)))
        n = scan_summary.participants
        heading = clean_text(title, TITLE_MAX) or "Mozaïekscan"
        ax.set_title(f"{heading}\n{n} {ui_text('lkc_people_one' if n == 1 else 'lkc_people_many', lang)}",
                     fontsize=13, pad=22, parse_math=False)
        legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False, fontsize=9)
        for text in legend.get_texts():  # a title like "$x$" is text, never mathtext
            text.set_parse_math(False)
        buffer = io.BytesIO()
        canvas.print_png(buffer)
        return buffer.getvalue()
    finally:
        fig.clear()


@lru_cache(maxsize=32)
def cached_radar_png(scan_summary: ScanSummary, title: str = "Mozaïekscan", earlier: ScanSummary | None = None,
                     earlier_label: str = "Vorige keer", lang: str = "nl") -> bytes:
    """``radar_chart_png`` drawn once per distinct group result (the summaries are frozen, so
    they are the cache key): the same scan again, many scripts posting the same CSV, or a
    trainer revealing an unchanged live session does not redraw it."""
    return radar_chart_png(scan_summary, title, earlier, earlier_label, lang)


# --------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "'")  # a spreadsheet would run '=…' as a formula


def _csv_protect(text: str) -> str:
    """Prefix a quote so a spreadsheet shows '=…' as text (undone by ``_csv_unprotect``)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_unprotect(text: str) -> str:
    return text[1:] if len(text) >= 2 and text[0] == "'" and text.startswith(_FORMULA_START, 1) else text


def to_csv(scan: Scan) -> str:
    """One row per participant: naam, the seven scores, the seven remarks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for p in scan.participants:
        writer.writerow([_csv_protect(p.name), *p.scores, *(_csv_protect(r) for r in p.remarks)])
    return buffer.getvalue()


def _decode_csv(data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise InputError(f"Het bestand is te groot ({math.ceil(len(data) / 1000)} kB); "
                         f"een scan mag hoogstens {max_bytes // 1000} kB zijn.")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"Het bestand is geen UTF-8-tekst (onleesbaar teken bij byte {err.start + 1}). "
                         "Sla het op als ‘CSV UTF-8’ en probeer het opnieuw.") from None
    if "\x00" in text:
        raise InputError("Dit lijkt geen tekstbestand. Kies een CSV-bestand van de Mozaïekscan.")
    if not text.strip():
        raise InputError("Het bestand is leeg. Kies een CSV-bestand met een kopregel en "
                         "één rij per deelnemer.")
    return text


def _check_header(header: list[str]) -> dict[str, int]:
    """Column name → position; every problem with the columns reported at once."""
    names = [clean_text(h, 100).lower() for h in header]
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        problems.append(f"Deze kolommen ontbreken: {', '.join(missing)}.")
    unknown = [f"‘{_echo(n, 30)}’" for n in names if n not in CSV_COLUMNS]
    if unknown:
        problems.append(f"Onbekende kolommen: {', '.join(unknown)}.")
    doubles = sorted({n for n in names if n in CSV_COLUMNS and names.count(n) > 1})
    if doubles:
        problems.append(f"Dubbele kolommen: {', '.join(doubles)}.")
    if problems:
        raise InputError(" ".join(problems) + " De kopregel moet zijn: " + ",".join(CSV_COLUMNS)
                         + " (de opmerkingkolommen mogen weg).")
    return {name: i for i, name in enumerate(names)}


def from_csv(data: bytes, max_bytes: int = 200_000, max_rows: int = 200) -> Scan:
    """A scan from a CSV file made by ``to_csv`` (or a spreadsheet); ``InputError`` when unusable."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"from_csv expects bytes, not {type(data).__name__}")
    text = _decode_csv(bytes(data), max_bytes)
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = ";" if ";" in first_line and "," not in first_line else ","  # Dutch Excel
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    participants: list[Participant] = []
    problems: list[str] = []
    try:
        header = next((row for row in rows if any(field.strip() for field in row)), None)
        if header is None:
            raise InputError("Het bestand is leeg: er staan alleen scheidingstekens in.")
        columns = _check_header(header)
        for row in rows:
            row_number = rows.line_num  # the line in the file: the row number in a spreadsheet
            if not any(field.strip() for field in row):
                continue
            if len(participants) + len(problems) >= max_rows:
                raise InputError(f"Het bestand heeft meer dan {max_rows} deelnemers (rijen). "
                                 "Splits het op in kleinere scans.")
            if len(row) > len(header):
                problems.append(f"Rij {row_number} heeft meer waarden dan er kolommen zijn.")
                continue
            row = row + [""] * (len(header) - len(row))
            values, row_problems = _check_scores({k: row[columns[k]] for k in BLOCK_KEYS})
            if row_problems:
                problems.append(f"Rij {row_number}: " + " ".join(row_problems))
                continue
            name = _csv_unprotect(row[columns["naam"]])
            remarks = tuple(_csv_unprotect(row[columns[c]]) if c in columns else ""
                            for c in REMARK_COLUMNS.values())
            participants.append(Participant(clean_text(name, NAME_MAX), values,
                                            tuple(clean_remark(r, REMARK_MAX) for r in remarks)))
    except csv.Error as err:
        log.info("CSV not readable at line %d: %s", rows.line_num, err)
        raise InputError(f"Het bestand is geen leesbare CSV: regel {rows.line_num} klopt niet "
                         "(een veld is te lang of een aanhalingsteken ontbreekt).") from None
    if problems:
        shown = problems[:5] + ([f"En nog {len(problems) - 5} rijen."] if len(problems) > 5 else [])
        raise InputError("Het bestand kan niet worden ingelezen. " + " ".join(shown) + " " + RANGE_HINT)
    if not participants:
        raise InputError("Het bestand bevat alleen een kopregel en nog geen deelnemers.")
    return Scan(tuple(participants))


# --------------------------------------------------------------------------- report

def dutch_number(value: float) -> str:
    """3.25 → '3,3' (Dutch decimal comma)."""
    return f"{value:.1f}".replace(".", ",")


def dutch_date(day: date) -> str:
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"


def _case_line(case: Case | None) -> str:
    if case is None:
        return "*Praktijkverhaal:* bij deze bouwsteen staat geen praktijkverhaal in het magazine."
    people = _join([f"{p.name} ({p.role})" for p in case.people]) if case.people else ""
    where = case.network if case.place == "Nederland" else f"{case.network}, {case.place}"
    return (f"*Praktijkverhaal om te bespreken:* ‘{case.section}’ ({where})"
            + (f", met {people}." if people else "."))


def focus_lines(block: FocusBlock) -> list[str]:
    lines = [f"### {block.name}" + (f" — {block.tagline}" if block.tagline else ""), "",
             f"*Waarom:* {block.why} (gemiddeld {dutch_number(block.mean)}, "
             f"verschil tussen laagste en hoogste score {block.spread}).", ""]
    if block.deepening_questions:
        lines += ["**Verdiepende vragen**", ""]
        lines += [f"{i}. {q}" for i, q in enumerate(block.deepening_questions, 1)] + [""]
    if block.stem_af_met:
        lines += ["**Stem af met…**", ""]
        lines += [f"- **{s.name}:** {s.text}" for s in block.stem_af_met] + [""]
    return lines + [_case_line(block.case), ""]


def score_table(scan_summary: ScanSummary, names: Mapping[str, str], focus_keys: set[str]) -> list[str]:
    """The report's "Scores per bouwsteen" section: mean, lowest, highest and why to look (the
    focus blocks in bold), with the scale under it."""
    lines = ["## Scores per bouwsteen", "", "| Bouwsteen | Gemiddeld | Laagste | Hoogste | Let op |",
             "|---|---:|---:|---:|---|"]
    for b in scan_summary.blocks:
        notes = ([REASON_WEAKEST] if b.key in scan_summary.weakest else []) + \
                ([REASON_DISAGREEMENT] if b.key in scan_summary.disagreement else [])
        name = names.get(b.key, b.name)
        name = f"**{name}**" if b.key in focus_keys else name
        lines.append(f"| {name} | {dutch_number(b.mean)} | {b.min} | {b.max} | {', '.join(notes)} |")
    return lines + ["", f"Schaal: {SCORE_MIN} (zwak) tot en met {SCORE_MAX} (sterk).", ""]


def report_markdown(knowledge: Knowledge, scan: Scan, scan_summary: ScanSummary,
                    focus: list[FocusBlock], today: date | None = None,
                    title: str = "Mozaïekscan") -> str:
    """The Dutch report of a Leerkring session (participant text escaped)."""
    names = {b.key: b.name for b in knowledge.blocks}
    labels = [md_escape(label) for label in scan.labels()]
    focus_keys = {f.key for f in focus}
    n = scan_summary.participants
    lines = [f"# {md_escape(clean_text(title, TITLE_MAX)) or 'Mozaïekscan'} — Leerkring", "",
             f"**Datum:** {dutch_date(today or date.today())}  ",
             f"**Aantal deelnemers:** {n} ({', '.join(labels)})", "",
             *score_table(scan_summary, names, focus_keys)]
    lines += ["## Focus voor het gesprek", ""]
    if n == 1:
        lines += ["Met één deelnemer zijn er geen verschillen tussen deelnemers te zien.", ""]
    for block in focus:
        lines += focus_lines(block)
    lines += ["## Opmerkingen van deelnemers", ""]
    any_remark = False
    for i, key in enumerate(BLOCK_KEYS):
        remarks = [(label, p.scores[i], p.remarks[i])
                   for label, p in zip(labels, scan.participants) if p.remarks[i]]
        if not remarks:
            continue
        any_remark = True
        lines += [f"### {names.get(key, BLOCK_NAMES[key])}", ""]
        lines += [f"- **{label}** (score {score}): {md_escape(' '.join(text.splitlines()))}"
                  for label, score, text in remarks]
        lines.append("")
    if not any_remark:
        lines += ["Er zijn geen opmerkingen gegeven.", ""]
    lines += ["---", "", SOURCE_LINE, ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- export

def export_scan(knowledge: Knowledge, scan: Scan, folder: Path,
                today: date | None = None) -> dict[str, Path]:
    """Write the report, chart and CSV into ``folder``, each atomically; keys md, png, csv."""
    scan_summary = summary(scan)
    focus = focus_material(knowledge, scan_summary)
    # Render everything first: a rendering error then leaves no partial set of files behind.
    markdown = report_markdown(knowledge, scan, scan_summary, focus, today)
    png = cached_radar_png(scan_summary)
    paths = write_export(folder, EXPORT_NAMES, markdown, png, to_csv(scan))
    log.info("Mozaïekscan met %d deelnemers geëxporteerd naar %s", len(scan), folder)
    return paths


def write_export(folder: Path, names: Mapping[str, str], markdown: str, png: bytes, table: str) -> dict[str, Path]:
    """Write an already rendered report, chart and CSV into ``folder`` under ``names`` (keys md,
    png, csv), each file atomically."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {kind: folder / name for kind, name in names.items()}
    atomic_write_text(paths["md"], markdown)
    atomic_write_bytes(paths["png"], png)
    atomic_write_text(paths["csv"], table)
    return paths
