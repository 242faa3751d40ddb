"""Overleg voorbereiden: a prep sheet for a network meeting, from the magazine.

Input: what the meeting is for and what is going on, optionally the blocks to focus on. Output
(data; ``render.prep_markdown`` and ``render.prep_html`` lay it out): the focus blocks and why,
5–8 agenda questions (the magazine's deepening and key questions, chosen for this situation), the
"stem af met" checks, one case with a quote, and the sources.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .answer import BlockRef, CaseRef, Citation, ShownPassage, StemLink
from .coach import Coach, clean_question
from ..errors import InputError
from ..knowledge.mozaiek import BLOCK_KEYS, BLOCK_NAMES
from ..strings import render

MAX_FOCUS = 4  # a learning circle hands over at most its two lowest and two most disputed blocks
MAX_AGENDA = 8


@dataclass(frozen=True)
class AgendaItem:
    block: str
    question: str
    kind: str  # verdiepend | kernvraag

    @property
    def block_name(self) -> str:
        return BLOCK_NAMES.get(self.block, self.block)


@dataclass(frozen=True)
class PrepSheet:
    purpose: str
    situation: str
    focus: tuple[tuple[BlockRef, str], ...]  # (block, why)
    agenda: tuple[AgendaItem, ...]
    stem: tuple[StemLink, ...]
    case: CaseRef | None
    citations: tuple[Citation, ...] = ()
    lang: str = "nl"
    shown: tuple[ShownPassage, ...] = ()  # the coach's passages: the magazine's and the practice one, whole
    created: date = field(default_factory=date.today)

    def to_dict(self) -> dict:
        return {"purpose": self.purpose, "situation": self.situation,
                "focus": [{"block": b.key, "name": b.name, "why": w} for b, w in self.focus],
                "agenda": [{"block": a.block, "question": a.question, "kind": a.kind} for a in self.agenda],
                "stem_af_met": [{"from": s.frm, "to": s.to, "text": s.text} for s in self.stem],
                "case": self.case.to_dict() if self.case else None,
                "citations": [c.to_dict() for c in self.citations],
                "shown": [p.to_dict() for p in self.shown]}


def prepare_meeting(coach: Coach, purpose: str, situation: str, focus_blocks=(), lang: str = "nl",
                    chosen_by: str = "user") -> PrepSheet:
    """Build the prep sheet; ``InputError`` when there is nothing to go on. ``chosen_by``: who chose
    ``focus_blocks`` — "user" ("je koos deze bouwsteen zelf") or "leerkring" ("uit de leerkring")."""
    purpose, _ = clean_question(purpose or "")
    situation, _ = clean_question(situation or "")
    if len(re.findall(r"\w+", purpose + " " + situation)) < 3:
        raise InputError(render("prep_too_little", lang))
    chosen = [b for b in (focus_blocks or []) if b in BLOCK_KEYS and b in coach.blocks][:MAX_FOCUS]
    text = f"{purpose}. {situation}".strip(". ")
    answer = coach.ask(text, block=chosen[0] if chosen else None, lang=lang)
    if answer.kind == "clarify":  # a sheet does not ask back: its passages come from the best block
        import dataclasses
        answer = dataclasses.replace(coach.ask(text, block=answer.blocks[0][0], lang=lang), blocks=answer.blocks)
    ranked = list(answer.blocks) or [(k, 0.0) for k in coach.block_keys]
    if chosen:
        why = render("prep_why_leerkring" if chosen_by == "leerkring" else "prep_why_chosen", lang)
        focus = [(k, why) for k in chosen]
    else:
        focus = [(ranked[0][0], render("prep_why_best", lang))]
        if len(ranked) > 1:
            focus.append((ranked[1][0], render("prep_why_also", lang)))
    dense = coach.retriever.dense_similarities(coach.retriever.query_vector(text))
    per_block = {0: 4, 1: 3, 2: 2} if len(focus) > 1 else {0: 6}
    agenda: list[AgendaItem] = []
    for i, (key, _) in enumerate(focus):
        block = coach.blocks[key]
        pool = [(q, "verdiepend") for q in block.deepening_questions] + [(q, "kernvraag") for q in block.key_questions]
        kinds = dict(pool)
        for q, _ in coach.rank_questions(key, [q for q, _ in pool], dense, text)[: per_block.get(i, 2)]:
            agenda.append(AgendaItem(key, q, kinds[q]))
    stem = tuple(StemLink(key, s.to, BLOCK_NAMES.get(s.to, s.to), s.text)
                 for key, _ in focus[:2] for s in coach.blocks[key].stem_af_met)
    return PrepSheet(purpose=purpose, situation=situation,
                     focus=tuple((coach.block_ref(k), why) for k, why in focus), agenda=tuple(agenda[:MAX_AGENDA]),
                     stem=stem, case=answer.case, citations=answer.citations if answer.in_scope else (), lang=lang,
                     shown=answer.shown if answer.in_scope else ())
