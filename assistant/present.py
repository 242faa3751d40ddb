"""Presentation helpers for the app: HTML for the mozaïek picture and Markdown for the tour,
the sources under an answer and the conversation export. Pure functions; everything escaped."""
from __future__ import annotations

import html
import re
from datetime import datetime

from .cases import Case
from .corpus import SOURCE_LINE
from .knowledge import Knowledge
from .mozaiek import BLOCK_NAMES, Bouwsteen

TILE_COLOURS = {"opgave": "#2f6f8f", "waarde": "#c9a227", "samen-doen": "#d0643b", "verankering": "#5b8c3a",
                "deelname": "#7a5aa6", "binding": "#b8465b", "organisatie": "#4a6670"}


def mozaiek_html(knowledge: Knowledge, scores: dict[str, float] | None = None, lang: str = "nl") -> str:
    """Seven tiles; the detected blocks are lit, the best one shows its 'Zorg voor …' line."""
    scores = scores or {}
    best = max(scores, key=scores.get) if scores else None
    tiles = []
    for b in knowledge.blocks:
        lit = b.key in scores and scores[b.key] >= 0.5 * max(scores.values())
        colour = TILE_COLOURS.get(b.key, "#555")
        style = (f"background:{colour};color:#fff;" if lit else
                 f"background:#f3f1ec;color:#333;border:2px solid {colour};")
        extra = f"<div class='mz-tag'>{html.escape(b.tagline)}</div>" if b.key == best or not scores else ""
        label = "gekozen" if lang == "nl" else "selected"
        aria = f" aria-label='{html.escape(b.name)} ({label})'" if lit else ""
        tiles.append(f"<div class='mz-tile{' mz-lit' if lit else ''}' data-block='{b.key}' style='{style}'{aria}>"
                     f"<div class='mz-name'>{html.escape(b.name)}</div>{extra}</div>")
    return ("<div class='mozaiek' role='img' aria-label='Netwerkmozaïek'>" + "".join(tiles) + "</div>")


MOZAIEK_CSS = """
.mozaiek{display:grid;grid-template-columns:repeat(4,1fr);gap:6px;margin:4px 0}
.mz-tile{border-radius:8px;padding:10px 8px;min-height:64px;font-family:system-ui,sans-serif}
.mz-tile.mz-lit{box-shadow:0 0 0 3px rgba(0,0,0,.25)}
.mz-name{font-weight:700;font-size:1.02em}.mz-tag{font-size:.82em;margin-top:4px;opacity:.95}
"""


def sources_markdown(answer: dict) -> str:
    """The numbered sources of one answer (for the collapsible box under it): section, case and
    speaker, and the passage with the quoted words in bold so they are easy to find."""
    passages = {s["chunk_id"]: s["text"] for s in answer.get("sources", [])}
    lines = []
    for c in answer.get("citations", []):
        meta = [c["section"]]
        if c.get("case"):
            meta.append(c["case"])
        if c.get("speaker"):
            meta.append(c["speaker"])
        text = passages.get(c["chunk_id"], c["quote"])
        if c["quote"] in text:
            text = text.replace(c["quote"], f"**{c['quote']}**", 1)
        body = "\n>\n".join("> " + para for para in text.split("\n") if para.strip())
        lines.append(f"**[{c['n']}]** {' · '.join(html.escape(m) for m in meta)}\n\n{body}")
    return "\n\n".join(lines)


def tour_markdown(block: Bouwsteen, cases: list[Case], lang: str = "nl") -> str:
    nl = lang != "en"
    lines = [f"## {block.name}", f"*{block.tagline}*", "",
             f"### {'Korte toelichting' if nl else 'In brief (Dutch, as printed)'}", block.toelichting, "",
             f"### {'Vragen' if nl else 'Key questions'}"]
    lines += [f"- {q}" for q in block.key_questions]
    lines += ["", f"### {'Verdiepende vragen' if nl else 'Deepening questions'}"]
    lines += [f"{i}. {q}" for i, q in enumerate(block.deepening_questions, 1)]
    lines += ["", f"### {'Stem af met' if nl else 'Align with'}"]
    lines += [f"- **{BLOCK_NAMES.get(s.to, s.to)}** — {s.text}" for s in block.stem_af_met]
    if cases:
        lines += ["", f"### {'Uit de praktijk' if nl else 'From practice'}"]
        lines += [f"- **{c.network}** ({c.place}) — {', '.join(p.name for p in c.people)}" for c in cases]
    return "\n".join(lines)


def case_markdown(case: Case, passage: str, lang: str = "nl") -> str:
    nl = lang != "en"
    people = "\n".join(f"- **{p.name}** — {p.role}" for p in case.people)
    blocks = ", ".join(BLOCK_NAMES.get(b, b) for b in case.blocks)
    return (f"### {case.network}\n*{case.section}* — {case.place}\n\n{people}\n\n"
            f"**{'Bouwstenen' if nl else 'Building blocks'}:** {blocks}\n\n> {passage}")


def conversation_markdown(turns: list[dict], lang: str = "nl") -> str:
    """The whole conversation with its sources, for download."""
    nl = lang != "en"
    out = [f"# Mozaïekcoach — {'gesprek' if nl else 'conversation'}",
           f"*{datetime.now().strftime('%Y-%m-%d %H:%M')}*", ""]
    for i, t in enumerate(turns, 1):
        q = re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", t["question"])
        out += [f"## {i}. {q}", "", t["answer"], ""]
    out.append(f"*{SOURCE_LINE}*")
    return "\n".join(out)
