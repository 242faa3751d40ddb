"""What the tabs share: the language code, the coach-or-a-clear-message check, export folders,
and the registry that relabels every component when the language changes."""
from __future__ import annotations

import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from ..strings import ui_text

EXPORT_ROOT = Path(tempfile.gettempdir()) / "mozaiekcoach"
EXPORT_MAX_AGE_S = 3600

log = logging.getLogger("assistant.ui")


def user_error(message: str, title: str | None = None):
    """The message box for an expected user error (a bad file, a missing choice, the coach still
    building): one log line, never a traceback in the log. Use as ``raise user_error(...)``."""
    import gradio as gr
    log.info("Geweigerd: %s", " ".join(str(message).split())[:300])
    return gr.Error(message, title=title or "Error", print_exception=False)


def lang_code(lang: str | None) -> str:
    """The UI language: English only when asked for, Dutch otherwise."""
    return "en" if lang == "en" else "nl"


def need_coach(holder, lang: str = "nl"):
    """The offline coach, or a friendly error while the index is being built."""
    coach = holder.coach
    if coach is None:
        state, message = holder.status()
        title = ui_text("wait_title" if state == "building" else "error_title", lang)
        raise user_error(message, title)
    return coach


def export_dir(root: Path = EXPORT_ROOT) -> Path:
    """A fresh folder for one download; folders older than an hour are removed (they may hold
    participants' names and remarks)."""
    root.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - EXPORT_MAX_AGE_S
    for old in root.iterdir():
        try:
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass
    path = root / uuid.uuid4().hex
    path.mkdir(parents=True, exist_ok=True)
    return path


def release_memory() -> None:
    """Give freed native memory back to the system after drawing a chart (glibc keeps it per
    thread otherwise, and a busy learning circle would see the app's memory creep up)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


Text = str | Callable[[str], object]  # a UI_TEXTS key, or a function of the language


class Labels:
    """Components whose texts come from ``assistant.strings.UI_TEXTS``.

    ``labels.make(gr.Button, {"value": "send"}, variant="primary")`` builds the component with its
    Dutch text and remembers it; ``labels.updates(lang)`` gives one update per component, in
    order, so the language switch relabels every one of them.
    """

    def __init__(self) -> None:
        self.items: list[tuple[object, dict[str, Text]]] = []

    @staticmethod
    def resolve(texts: dict[str, Text], lang: str) -> dict[str, object]:
        return {prop: (text(lang) if callable(text) else ui_text(text, lang)) for prop, text in texts.items()}

    def make(self, cls, texts: dict[str, Text], **kwargs):
        return self.add(cls(**self.resolve(texts, "nl"), **kwargs), texts)

    def add(self, component, texts: dict[str, Text]):
        self.items.append((component, texts))
        return component

    @property
    def components(self) -> list:
        return [c for c, _ in self.items]

    def updates(self, lang: str) -> list[dict]:
        return [{"__type__": "update", **self.resolve(texts, lang)} for _, texts in self.items]
