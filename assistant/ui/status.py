"""The banner while the index is being built, and the line saying which mode (LLM or not) is on."""
from __future__ import annotations

import re

from ..strings import ui_text
from .common import lang_code


def banner(holder, lang: str = "nl") -> tuple[str, bool]:
    """(text, keep polling): the index is ready (no text, stop), being built, or failed (stop)."""
    lang = lang_code(lang)
    state, message = holder.status()
    if state == "ready":
        return "", False
    if state == "building":
        phase = holder.phase() if hasattr(holder, "phase") else ("indexing", 0, 0)
        if phase[0] == "training":
            return ui_text("status_training", lang), True
        done, total = phase[1], phase[2]
        if not total:  # a holder without phases: the percentage from its message
            pct = re.search(r"\((\d+)%\)", message)
            done, total = (int(pct.group(1)), 100) if pct else (0, 0)
        return ui_text("status_building", lang, pct=f" ({100 * done // total}%)" if total else ""), True
    return ui_text("status_error", lang, message=message), False


def mode_line(holder, lang: str = "nl", check: bool = False) -> str:
    """Which mode is active; with ``check`` also whether the language model answers."""
    lang = lang_code(lang)
    llm = holder.settings.llm
    if llm == "none":
        return ui_text("mode_offline", lang)
    if not check:
        return ui_text("mode_llm", lang, llm=llm)
    answerer = holder.answerer
    if answerer is None:
        return ui_text("mode_unchecked", lang, llm=llm)
    _, message = answerer.health()
    return ui_text("mode_checked", lang, llm=llm, message=message)
