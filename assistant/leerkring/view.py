"""What the trainer sees of a live learning circle: the join link and its QR code, the group
result as two charts drawn in the browser (Plotly figures: radar and dot plot), the report
and the exports (report, radar PNG, scores CSV), in the trainer's language (Dutch or English).
Participants' text and circle titles are plain text everywhere: escaped for Markdown and Plotly,
never a link, markup or math.

Pure functions over ``leerkring.Reveal``; ``export_reveal`` is the only one that writes, and it
writes each file atomically. The charts are figures (data), so the server never draws a picture
per request; the one PNG (for the export) is drawn once per distinct result and cached.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..knowledge.corpus import SOURCE_LINE
from .store import MIN_REVEAL, NARROWED, WIDENED, Reveal
from ..knowledge.mozaiek import BLOCK_KEYS, BLOCK_NAMES
from .scan import (
    REASON_DISAGREEMENT,
    REASON_WEAKEST,
    SCORE_MAX,
    SCORE_MIN,
    TITLE_MAX,
    cached_radar_png,
    clean_text,
    dutch_date,
    dutch_number,
    focus_material,
    to_csv,
    write_export,
)
from ..strings import ui_text

if TYPE_CHECKING:
    from ..knowledge.model import Knowledge

JOIN_PATH = "/leerkring/"
EXPORT_NAMES = {"md": "leerkring-resultaat.md", "png": "leerkring-radar.png", "csv": "leerkring-scores.csv"}
_HOST_RE = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253})(:\d{1,5})?$")

# Colours with at least 3:1 contrast on white (lines) and readable fills.
MEAN_COLOUR, BAND_COLOUR, EARLIER_COLOUR = "#1f4e89", "rgba(110,110,110,0.25)", "#9a3412"


# --------------------------------------------------------------------------- join link

ROUTES = Path("/proc/net/route")
SIOCGIFADDR = 0x8915  # Linux ioctl: an interface's IPv4 address


def default_interface(routes: Path = ROUTES) -> str | None:
    """The network interface of the default route (Linux ``/proc/net/route``), or None."""
    try:
        lines = routes.read_text(encoding="ascii", errors="replace").splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        if len(parts) > 3 and parts[1] == "00000000" and int(parts[3], 16) & 0x2:  # destination 0, via a gateway
            return parts[0]
    return None


def interface_address(name: str) -> str | None:
    """The IPv4 address of interface ``name`` (asked of the kernel; nothing is sent), or None."""
    try:
        import fcntl
        import struct
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            packed = fcntl.ioctl(s.fileno(), SIOCGIFADDR, struct.pack("256s", name[:15].encode()))
        return socket.inet_ntoa(packed[20:24])
    except (OSError, ImportError, ValueError):
        return None


def _usable(address: str | None) -> bool:
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified)


def lan_address() -> str | None:
    """This computer's address on the local network, found without sending anything: the address of
    the interface the default route goes through; else of any other interface; else the host name's
    own address. None when all there is, is loopback (a standard Debian or Ubuntu install maps the
    host name to 127.0.1.1)."""
    first = default_interface()
    names = [first] if first else []
    try:
        names += [n for _, n in socket.if_nameindex() if n != first and n != "lo"]
    except OSError:
        pass
    for name in names:
        address = interface_address(name)
        if _usable(address):
            return address
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        return None
    usable = sorted(a for a in addresses if _usable(a))
    return usable[0] if usable else None


def _is_loopback(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 or host.startswith("[") else host
    name = name.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def public_base(settings, request_host: str | None, scheme: str = "http") -> tuple[str, bool]:
    """(the app's address as phones should use it, whether phones can reach it).

    ``COACH_PUBLIC_URL`` wins. Otherwise the address the trainer's own browser used; when that
    is loopback but the app listens on the network, this computer's LAN address instead.
    """
    if getattr(settings, "public_url", None):
        return settings.public_url.rstrip("/"), True
    host = request_host if request_host and _HOST_RE.match(request_host) else f"127.0.0.1:{settings.port}"
    scheme = scheme if scheme in ("http", "https") else "http"
    if settings.is_loopback:  # only this computer can open the app: phones cannot, whatever the address
        return f"{scheme}://{host}", False
    if _is_loopback(host):
        lan = lan_address()
        if lan:
            return f"{scheme}://{lan}:{settings.port}", True
        return f"{scheme}://{host}", False  # no network address found: say so instead of a dead QR code
    return f"{scheme}://{host}", True


def join_url(base: str, code: str) -> str:
    return f"{base.rstrip('/')}{JOIN_PATH}{code}"


def qr_svg(url: str, label: str) -> str:
    """The join link as an inline SVG QR code (made here, no service), with a text alternative."""
    import segno
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff",
                                               title=label, omitsize=True)  # a viewBox: it scales with CSS
    return svg.replace("<svg ", '<svg role="img" ', 1)


# --------------------------------------------------------------------------- plain text

# Plotly reads <a href>, <b>, <br> and entities in titles and legend names, and TeX between $…$:
# a circle's title must stay text there. Entities are what Plotly turns back into characters.
_PLOT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "$": "&#36;"}
# Characters Markdown acts on anywhere in a line; a backslash makes each one itself (CommonMark
# lets any ASCII punctuation be escaped), so a downloaded report reads as typed.
_MD_ANYWHERE = frozenset("\\`*_[]<>#|~$&!(){}")
_MD_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")  # a list item, a heading underline, "1."


def plot_text(text: str) -> str:
    """User text for a Plotly title or legend: shown as typed, never a link, markup or TeX."""
    return "".join(_PLOT_ESCAPES.get(ch, ch) for ch in text)


def md_text(text: str) -> str:
    """One line of user text for Markdown, escaped with backslashes: no link, emphasis, heading,
    list, HTML or math of its own, and still readable as typed in the downloaded file."""
    out = "".join("\\" + ch if ch in _MD_ANYWHERE else ch for ch in text)
    match = _MD_LINE_START.match(out)
    if match:  # "- punt" stays a dash, "1. punt" stays a number
        end = match.end()
        out = (out[:end] + "\\" + out[end:]) if match.group(1)[0].isdigit() else "\\" + out
    return out


def md_lines(text: str, indent: str = "  ") -> str:
    """A remark with its line breaks kept: each line escaped, joined by Markdown hard breaks
    (a backslash at the end of a line), continued under a list item with ``indent``."""
    return ("\\\n" + indent).join(md_text(line) for line in text.splitlines() if line.strip())


def report_html(markdown: str) -> str:
    """The report for the trainer's screen: our Markdown rendered here with raw HTML and
    autolinks off, so whatever a participant typed shows as text (the escaping above keeps
    Markdown out; a bare address stays an address, not a link)."""
    from markdown_it import MarkdownIt
    return MarkdownIt("js-default", {"html": False, "linkify": False}).render(markdown)


def _number(value: float, lang: str) -> str:
    return dutch_number(value) if lang != "en" else f"{value:.1f}"


EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def _date(day: date, lang: str) -> str:
    return dutch_date(day) if lang != "en" else f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def _label(label: str, lang: str) -> str:
    """The comparison's label (a circle's title and date, or the store's "ingelezen scan")."""
    return ui_text("lkr_imported", lang) if label == "ingelezen scan" else label


# --------------------------------------------------------------------------- charts

def radar_figure(reveal: Reveal, title: str = "", lang: str = "nl"):
    """Plotly radar: the group's mean, the band from lowest to highest score, and the earlier
    mean when there is a comparison; words in ``lang``, titles as plain text."""
    import plotly.graph_objects as go
    names = [BLOCK_NAMES[k] for k in BLOCK_KEYS]
    loop = names + names[:1]

    def closed(values):
        values = list(values)
        return values + values[:1]

    stats = reveal.summary.blocks
    fig = go.Figure()
    fig.add_trace(go.Scatterpolar(r=closed(b.max for b in stats), theta=loop, mode="lines",
                                  line={"color": "#6f6f6f", "dash": "dot", "width": 1},
                                  name=ui_text("lkc_highest", lang), hoverinfo="skip"))
    fig.add_trace(go.Scatterpolar(r=closed(b.min for b in stats), theta=loop, mode="lines", fill="tonext",
                                  fillcolor=BAND_COLOUR, line={"color": "#6f6f6f", "dash": "dot", "width": 1},
                                  name=ui_text("lkc_lowest", lang), hoverinfo="skip"))
    fig.add_trace(go.Scatterpolar(
        r=closed(round(b.mean, 2) for b in stats), theta=loop, mode="lines+markers", name=ui_text("lkc_mean", lang),
        line={"color": MEAN_COLOUR, "width": 3}, marker={"size": 7},
        hovertemplate=ui_text("lkc_hover_mean", lang)))
    if reveal.comparison is not None:
        label = clean_text(_label(reveal.comparison.label, lang), TITLE_MAX + 20)
        fig.add_trace(go.Scatterpolar(
            r=closed(round(b.before_mean, 2) for b in reveal.comparison.blocks), theta=loop,
            mode="lines+markers", name=plot_text(ui_text("lkc_mean_earlier", lang, label=label)[:60]),
            line={"color": EARLIER_COLOUR, "width": 2, "dash": "dash"}, marker={"size": 6, "symbol": "square"},
            hovertemplate=ui_text("lkc_hover_earlier", lang)))
    n = reveal.count
    heading = clean_text(title or reveal.title, TITLE_MAX)
    fig.update_layout(
        title={"text": plot_text(ui_text("lkc_title", lang, title=heading, n=n))},
        polar={"radialaxis": {"range": [0, SCORE_MAX], "tickvals": list(range(SCORE_MIN, SCORE_MAX + 1))}},
        legend={"orientation": "h", "y": -0.12}, margin={"l": 60, "r": 60, "t": 70, "b": 40}, height=520,
        font={"size": 14})
    return fig


def dots_figure(reveal: Reveal, lang: str = "nl"):
    """Plotly dot plot: per block how many people gave each score; a wide row means the group
    does not agree."""
    import plotly.graph_objects as go
    xs, ys, sizes, texts = [], [], [], []
    for key in BLOCK_KEYS:
        for score, count in zip(range(SCORE_MIN, SCORE_MAX + 1), reveal.distribution[key]):
            if count:
                xs.append(score)
                ys.append(BLOCK_NAMES[key])
                sizes.append(count)
                texts.append(str(count))
    top = max(sizes) if sizes else 1
    means = [round(reveal.means[k], 2) for k in BLOCK_KEYS]
    fig = go.Figure()
    # the mean first, so the dots with their counts are drawn on top of it
    fig.add_trace(go.Scatter(x=means, y=[BLOCK_NAMES[k] for k in BLOCK_KEYS], mode="markers",
                             name=ui_text("lkc_mean", lang), marker={"symbol": "line-ns-open", "size": 34,
                                                                     "color": EARLIER_COLOUR, "line": {"width": 2}},
                             hovertemplate=ui_text("lkc_hover_dots_mean", lang)))
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers+text", text=texts, textposition="middle center", name=ui_text("lkc_count", lang),
        textfont={"color": "#ffffff", "size": 13},
        marker={"size": [18 + 26 * s / top for s in sizes], "color": MEAN_COLOUR, "opacity": 0.9},
        hovertemplate="%{y}: %{text} × score %{x}<extra></extra>", showlegend=False))
    fig.update_layout(
        title={"text": ui_text("lkc_dots_title", lang)},
        xaxis={"range": [SCORE_MIN - 0.6, SCORE_MAX + 0.6], "tickvals": list(range(SCORE_MIN, SCORE_MAX + 1)),
               "title": {"text": ui_text("lkc_axis", lang)}},
        yaxis={"autorange": "reversed"}, legend={"orientation": "h", "y": -0.25},
        margin={"l": 110, "r": 20, "t": 60, "b": 60}, height=440, font={"size": 14})
    return fig


# --------------------------------------------------------------------------- report

def _change_line(change, lang: str) -> str:
    """One sentence about what changed in a block ('' when nothing changed clearly)."""
    parts = []
    if change.moved:
        values = {"before": _number(change.before_mean, lang), "now": _number(change.now_mean, lang)}
        parts.append(ui_text("lkr_rose" if change.delta > 0 else "lkr_fell", lang, **values))
    if change.spread_change == NARROWED:
        parts.append(ui_text("lkr_narrowed", lang))
    elif change.spread_change == WIDENED:
        parts.append(ui_text("lkr_widened", lang))
    return f"{change.name}: {'; '.join(parts)}." if parts else ""


def _join_words(items: list[str], lang: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + ui_text("lkr_and", lang) + items[-1]


def _score_table(summ, names: dict, focus_keys: set[str], lang: str) -> list[str]:
    lines = [ui_text("lkr_scores", lang), "", ui_text("lkr_table", lang), "|---|---:|---:|---:|---|"]
    for b in summ.blocks:
        notes = ([ui_text("lkr_weakest", lang)] if b.key in summ.weakest else []) + \
                ([ui_text("lkr_disputed", lang)] if b.key in summ.disagreement else [])
        name = names.get(b.key, b.name)
        name = f"**{name}**" if b.key in focus_keys else name
        lines.append(f"| {name} | {_number(b.mean, lang)} | {b.min} | {b.max} | {', '.join(notes)} |")
    return lines + ["", ui_text("lkr_scale", lang, lo=SCORE_MIN, hi=SCORE_MAX), ""]


def _focus_lines(block, lang: str) -> list[str]:
    reasons = {REASON_WEAKEST: "lkr_weakest", REASON_DISAGREEMENT: "lkr_disputed"}
    why = ui_text("lkr_and", lang).join(ui_text(reasons[r], lang) if r in reasons else r for r in block.reasons)
    lines = [f"### {block.name}" + (f" — {block.tagline}" if block.tagline else ""), "",
             ui_text("lkr_why", lang, why=why, mean=_number(block.mean, lang), spread=block.spread), ""]
    if block.deepening_questions:
        lines += [ui_text("lkr_questions", lang), ""]
        lines += [f"{i}. {q}" for i, q in enumerate(block.deepening_questions, 1)] + [""]
    if block.stem_af_met:
        lines += [ui_text("lkr_stem", lang), ""]
        lines += [f"- **{s.name}:** {s.text}" for s in block.stem_af_met] + [""]
    case = block.case
    if case is None:
        line = ui_text("lkr_no_case", lang)
    else:
        where = case.network if case.place == "Nederland" else f"{case.network}, {case.place}"
        people = _join_words([f"{p.name} ({p.role})" for p in case.people], lang) if case.people else ""
        line = ui_text("lkr_case", lang, section=case.section, where=where) + \
            (ui_text("lkr_case_people", lang, people=people) if people else ".")
    return lines + [line, ""]


def reveal_markdown(knowledge: Knowledge, reveal: Reveal, today: date | None = None, lang: str = "nl") -> str:
    """The report of a live session in ``lang``: no names, remarks in the shuffled order of the
    reveal. Participants' text and titles are escaped for Markdown (``md_text``): they read as
    typed, line breaks kept, and never become links, emphasis or headings."""
    summ = reveal.summary
    focus = focus_material(knowledge, summ)
    focus_keys = {f.key for f in focus}
    names = {b.key: b.name for b in knowledge.blocks}
    n = reveal.count
    title = md_text(clean_text(reveal.title, TITLE_MAX)) or ui_text("lkr_title_default", lang)
    lines = [ui_text("lkr_heading", lang, title=title), "",
             ui_text("lkr_date", lang, date=_date(today or date.today(), lang)),
             ui_text("lkr_count", lang, n=n), "",
             *_score_table(summ, names, focus_keys, lang)]
    if reveal.comparison is not None:
        comp = reveal.comparison
        lines += [ui_text("lkr_compared", lang, label=md_text(_label(comp.label, lang)), n=comp.participants), ""]
        said = [line for line in (_change_line(b, lang) for b in comp.blocks if b.notable) if line]
        lines += [f"- {md_text(s)}" for s in said] if said else [ui_text("lkr_no_change", lang)]
        lines.append("")
    lines += [ui_text("lkr_focus", lang), ""]
    for block in focus:
        lines += _focus_lines(block, lang)
    lines += [ui_text("lkr_remarks", lang), ""]
    if reveal.remarks:
        lines += [f"- *{md_text(names.get(r.block, r.block_name))}:* {md_lines(r.text)}" for r in reveal.remarks]
    else:
        lines.append(ui_text("lkr_no_remarks", lang))
    lines += ["", "---", "", SOURCE_LINE, ""]
    return "\n".join(lines)


def prep_request(knowledge: Knowledge, reveal: Reveal, lang: str = "nl") -> tuple[str, str, list[str]]:
    """(purpose, situation, focus block keys) for an "Overleg voorbereiden" sheet on the
    weakest and most disputed blocks, in the trainer's language (the remarks as written)."""
    summ = reveal.summary
    keys = list(dict.fromkeys([*summ.weakest, *summ.disagreement]))
    names = {**BLOCK_NAMES, **{b.key: b.name for b in knowledge.blocks}}
    t = lambda key, **values: ui_text(key, lang, **values)  # noqa: E731

    def join(items: list[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + t("lkr_and") + items[-1]

    title = clean_text(reveal.title, TITLE_MAX)
    parts = [t("lkp_weakest", n=reveal.count, blocks=join([names.get(k, k) for k in summ.weakest]))]
    if summ.disagreement:
        parts.append(t("lkp_disputed", blocks=join([names.get(k, k) for k in summ.disagreement])))
    situation = "; ".join(parts) + "."
    said = [f"“{clean_text(r.text, 300)}” ({names.get(r.block, r.block)})" for r in reveal.remarks if r.block in keys]
    if said:  # what participants wrote about these blocks, as they wrote it
        situation += " " + t("lkp_remarks") + " " + " ".join(said[:8])
    return t("lkp_purpose", title=title), situation, keys


# --------------------------------------------------------------------------- export

EXPORT_NAMES_EN = {"md": "learning-circle-result.md", "png": "learning-circle-radar.png",
                   "csv": "learning-circle-scores.csv"}


def radar_png(reveal: Reveal, lang: str = "nl") -> bytes:
    """The radar as PNG for the export (with the comparison), drawn once per distinct result."""
    comp = reveal.comparison
    return cached_radar_png(reveal.summary, reveal.title, comp.summary if comp else None,
                            _label(comp.label, lang) if comp else ui_text("lkc_last_time", lang), lang)


def export_reveal(knowledge: Knowledge, reveal: Reveal, folder: Path, today: date | None = None,
                  lang: str = "nl") -> dict[str, Path]:
    """Write report, radar PNG and the anonymous scores CSV (``scan.from_csv`` reads it back),
    each atomically; everything is rendered before the first file is written. The CSV's column
    names are the import's keys (naam, opgave, opmerking_opgave, …), the same in both languages."""
    if reveal.count < MIN_REVEAL:  # a Reveal is never made with fewer; guard for hand-made ones
        raise ValueError("too few submissions to export")
    markdown = reveal_markdown(knowledge, reveal, today, lang)
    png = radar_png(reveal, lang)
    return write_export(folder, EXPORT_NAMES_EN if lang == "en" else EXPORT_NAMES, markdown, png,
                        to_csv(reveal.scan))
