"""Overleg voorbereiden: a prep sheet for a network meeting, from the magazine.

Input: what the meeting is for and what is going on, optionally the blocks to focus on. Output:
the focus blocks and why, 5–8 agenda questions (the magazine's deepening and key questions,
chosen for this situation), the "stem af met" checks, one case with a quote, and the sources.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from .coach import Coach, clean_question
from .corpus import SOURCE_LINE
from .errors import InputError
from .mozaiek import BLOCK_KEYS, BLOCK_NAMES

MAX_FOCUS = 3


@dataclass(frozen=True)
class AgendaItem:
    block: str
    question: str
    kind: str  # verdiepend | kernvraag


@dataclass
class PrepSheet:
    purpose: str
    situation: str
    focus: list[tuple[str, str]]  # (block key, why)
    agenda: list[AgendaItem]
    stem: list[tuple[str, str, str]]
    case: dict | None
    citations: list = field(default_factory=list)
    lang: str = "nl"
    created: date = field(default_factory=date.today)

    def to_dict(self) -> dict:
        return {"purpose": self.purpose, "situation": self.situation,
                "focus": [{"block": k, "name": BLOCK_NAMES[k], "why": w} for k, w in self.focus],
                "agenda": [{"block": a.block, "question": a.question, "kind": a.kind} for a in self.agenda],
                "stem_af_met": [{"from": f, "to": t, "text": x} for f, t, x in self.stem],
                "case": self.case, "citations": [c.to_dict() for c in self.citations]}


def prepare_meeting(coach: Coach, purpose: str, situation: str, focus_blocks=(), lang: str = "nl") -> PrepSheet:
    """Build the prep sheet; ``InputError`` when there is nothing to go on."""
    purpose, _ = clean_question(purpose or "")
    situation, _ = clean_question(situation or "")
    if len(re.findall(r"\w+", purpose + " " + situation)) < 3:
        raise InputError("Vertel in een paar woorden waar het overleg over gaat en wat er speelt; "
                         "dan kies ik de vragen die daarbij passen.")
    chosen = [b for b in (focus_blocks or []) if b in BLOCK_KEYS][:MAX_FOCUS]
    text = f"{purpose}. {situation}".strip(". ")
    answer = coach.ask(text, block=chosen[0] if chosen else None, lang=lang)
    ranked = answer.blocks or [(k, 0.0) for k in BLOCK_KEYS]
    if chosen:
        focus = [(k, "je koos deze bouwsteen zelf" if lang == "nl" else "you chose this block") for k in chosen]
    else:
        focus = [(ranked[0][0], "past het best bij wat je beschrijft" if lang == "nl"
                  else "fits what you describe best")]
        if len(ranked) > 1:
            focus.append((ranked[1][0], "speelt ook mee" if lang == "nl" else "also plays a part"))
    qvec = coach.retriever.embed_query(text) if coach.retriever.mode != "bm25" else None
    per_block = {0: 4, 1: 3, 2: 2} if len(focus) > 1 else {0: 6}
    agenda: list[AgendaItem] = []
    for i, (key, _) in enumerate(focus):
        block = coach.blocks[key]
        pool = [(q, "verdiepend") for q in block.deepening_questions] + [(q, "kernvraag") for q in block.key_questions]
        kinds = dict(pool)
        ranked_q = coach.rank_questions(key, [q for q, _ in pool], qvec, text)
        for q, _ in ranked_q[: per_block.get(i, 2)]:
            agenda.append(AgendaItem(key, q, kinds[q]))
    agenda = agenda[:8]
    stem = [(key, s.to, s.text) for key, _ in focus[:2] for s in coach.blocks[key].stem_af_met]
    return PrepSheet(purpose=purpose, situation=situation, focus=focus, agenda=agenda, stem=stem,
                     case=answer.case, citations=answer.citations if answer.in_scope else [], lang=lang)


def prep_markdown(sheet: PrepSheet, coach: Coach) -> str:
    nl = sheet.lang != "en"
    lines = [f"# {'Voorbereiding overleg' if nl else 'Meeting preparation'}",
             f"*{sheet.created.isoformat()}*", ""]
    if sheet.purpose:
        lines += [f"**{'Doel van het overleg' if nl else 'Purpose'}:** {_md(sheet.purpose)}", ""]
    if sheet.situation:
        lines += [f"**{'Wat er speelt' if nl else 'What is going on'}:** {_md(sheet.situation)}", ""]
    lines.append(f"## {'Focus' if nl else 'Focus'}")
    for key, why in sheet.focus:
        b = coach.blocks[key]
        lines.append(f"- **{b.name}** — *{b.tagline}* ({why})")
    lines += ["", f"## {'Vragen voor de agenda' if nl else 'Questions for the agenda'}"]
    for i, item in enumerate(sheet.agenda, 1):
        lines.append(f"{i}. {item.question} *({BLOCK_NAMES[item.block]})*")
    lines += ["", f"## {'Stem af met' if nl else 'Align with'}"]
    for frm, to, text in sheet.stem:
        lines.append(f"- **{BLOCK_NAMES[frm]} → {BLOCK_NAMES.get(to, to)}** — {text}")
    if sheet.case:
        case = coach.cases.get(sheet.case["key"])
        who = ", ".join(sheet.case.get("people") or [])
        lines += ["", f"## {'Om te delen: uit de praktijk' if nl else 'To share: from practice'}",
                  f"**{case.network if case else sheet.case['section']}** — {who}", "",
                  f"> “{sheet.case['quote']}”", "", f"*{sheet.case['section']}*"]
    if sheet.citations:
        lines += ["", f"## {'Bronnen' if nl else 'Sources'}"]
        lines += [f"[{c.n}] {c.section} — “{c.quote}”" for c in sheet.citations]
    lines += ["", f"*{SOURCE_LINE}*"]
    return "\n".join(lines)


def prep_html(sheet: PrepSheet, coach: Coach) -> str:
    """A self-contained, print-friendly HTML page (everything escaped)."""
    e = html.escape
    nl = sheet.lang != "en"
    parts = [f"<!doctype html><html lang='{'nl' if nl else 'en'}'><head><meta charset='utf-8'>",
             f"<title>{'Voorbereiding overleg' if nl else 'Meeting preparation'}</title>",
             "<style>body{font-family:Georgia,serif;max-width:46em;margin:2em auto;line-height:1.5;color:#222}"
             "h1,h2{font-family:Helvetica,Arial,sans-serif}h2{border-bottom:1px solid #ccc;margin-top:1.6em}"
             "li{margin:.3em 0}.tag{color:#555;font-style:italic}blockquote{border-left:4px solid #c9a227;"
             "margin:0;padding:.2em 1em;background:#faf6e8}@media print{body{margin:0}}</style></head><body>",
             f"<h1>{'Voorbereiding overleg' if nl else 'Meeting preparation'}</h1>",
             f"<p class='tag'>{e(sheet.created.isoformat())}</p>"]
    if sheet.purpose:
        parts.append(f"<p><strong>{'Doel van het overleg' if nl else 'Purpose'}:</strong> {e(sheet.purpose)}</p>")
    if sheet.situation:
        parts.append(f"<p><strong>{'Wat er speelt' if nl else 'What is going on'}:</strong> {e(sheet.situation)}</p>")
    parts.append("<h2>Focus</h2><ul>")
    for key, why in sheet.focus:
        b = coach.blocks[key]
        parts.append(f"<li><strong>{e(b.name)}</strong> — <span class='tag'>{e(b.tagline)}</span> ({e(why)})</li>")
    parts.append(f"</ul><h2>{'Vragen voor de agenda' if nl else 'Questions for the agenda'}</h2><ol>")
    parts += [f"<li>{e(a.question)} <span class='tag'>({e(BLOCK_NAMES[a.block])})</span></li>" for a in sheet.agenda]
    parts.append(f"</ol><h2>{'Stem af met' if nl else 'Align with'}</h2><ul>")
    parts += [f"<li><strong>{e(BLOCK_NAMES[f])} → {e(BLOCK_NAMES.get(t, t))}</strong> — {e(x)}</li>"
              for f, t, x in sheet.stem]
    parts.append("</ul>")
    if sheet.case:
        parts.append(f"<h2>{'Om te delen: uit de praktijk' if nl else 'To share: from practice'}</h2>"
                     f"<p><strong>{e(', '.join(sheet.case.get('people') or []))}</strong> — "
                     f"{e(sheet.case['section'])}</p><blockquote>“{e(sheet.case['quote'])}”</blockquote>")
    if sheet.citations:
        parts.append(f"<h2>{'Bronnen' if nl else 'Sources'}</h2><ol>")
        parts += [f"<li>{e(c.section)} — “{e(c.quote)}”</li>" for c in sheet.citations]
        parts.append("</ol>")
    parts.append(f"<p class='tag'>{e(SOURCE_LINE)}</p></body></html>")
    return "".join(parts)


def _md(text: str) -> str:
    """User text shown in Markdown: no HTML, links or emphasis of its own."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)
