"""Every user-facing text, by name, in Dutch and English: the one home for what people read.

The coach's answer parts, the notes around the optional language model and the app's labels all
come from here. Tests render these exactly; change a text here, not in the code that uses it.
Split by where the text is read: ``answer`` (the coach's words), ``app`` (the Gradio app and the
server guard), ``leerkring`` (the live learning circle), ``feedback`` (👍/👎 and the gaps report).
``ui_text`` looks a name up in all of the app's tables; a name lives in exactly one of them.
"""
from __future__ import annotations

from .answer import EXAMPLES, PLAIN_BLOCKS, TEMPLATES, _lookup, plain_block, render
from .app import APP_TEXTS, GUARD_TEXTS, UI_EXAMPLES
from .feedback import FEEDBACK_TEXTS
from .leerkring import LEERKRING_TEXTS


def _union(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The app's tables as one; a name in two of them is a mistake that would hide a text."""
    out: dict[str, dict[str, str]] = {}
    for table in tables:
        twice = out.keys() & table.keys()
        if twice:
            raise ValueError(f"text names defined twice: {sorted(twice)}")
        out.update(table)
    return out


UI_TEXTS = _union(APP_TEXTS, GUARD_TEXTS, LEERKRING_TEXTS, FEEDBACK_TEXTS)

__all__ = ["EXAMPLES", "PLAIN_BLOCKS", "TEMPLATES", "UI_EXAMPLES", "UI_TEXTS", "plain_block", "render", "ui_text"]


def ui_text(key: str, lang: str = "nl", **values) -> str:
    """The app's text named ``key`` in ``lang`` (Dutch for any other language), filled in."""
    return _lookup(UI_TEXTS, key, lang, values)
