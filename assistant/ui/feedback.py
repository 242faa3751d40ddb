"""Feedback in the app (issue 21): 👍 / 👎 under the newest answer, a reason on 👎, "dit gaat wél over
netwerken" on a turned-away question; and the gaps panel with its Markdown and CSV downloads.

Nothing of this is built when feedback is off (``COACH_FEEDBACK``): no buttons, no panel; the
named ``feedback`` API endpoint then refuses with a clear message. The handlers are plain
functions over a ``FeedbackStore``; ``build_row``/``wire_row`` and ``build_panel``/``wire_panel``
connect them.
"""
from __future__ import annotations

import html
from types import SimpleNamespace

from ..usage.feedback import REASONS, TURNED_AWAY, FeedbackError, gaps_report, report_markdown, rows_csv
from ..strings import ui_text
from .common import Labels, export_dir, lang_code, user_error

# the reasons offered on 👎 (a turned-away question has its own button)
ROW_REASONS = tuple(r for r in REASONS if r != "in_scope")


def reason_choices(lang: str) -> list[tuple[str, str]]:
    return [(ui_text(f"fb_reason_{r}", lang), r) for r in ROW_REASONS]


def block_choices(knowledge) -> list[tuple[str, str]]:
    return [(b.name, b.key) for b in knowledge.blocks]


def thanks_html(text: str = "") -> str:
    """The one thanks line, in a live region so a screen reader reads it out."""
    return f"<p role='status' aria-live='polite' class='fb-thanks'>{html.escape(text)}</p>"


def give(store, answer_id: str, rating: str, reason: str = "", correction: str = "", lang: str = "nl") -> str:
    """Store the feedback; the thanks line. Bad input: a warning in ``lang`` and nothing stored."""
    import gradio as gr
    try:
        return store.record(answer_id, rating, reason, correction, lang=lang_code(lang))
    except FeedbackError as err:
        gr.Warning(str(err), title=ui_text("fb_error_title", lang_code(lang)))
        return ""


# ----------------------------------------------------------------------------------- the row

def build_row(knowledge, labels: Labels) -> SimpleNamespace:
    """The feedback controls under the conversation (call inside the coach tab's column)."""
    import gradio as gr
    fb = SimpleNamespace()
    fb.answer_id = gr.State("")
    with gr.Row(visible=False, elem_id="feedback", elem_classes=["fb-row"]) as fb.row:
        labels.make(gr.Markdown, {"value": "fb_question"}, elem_id="fb-question")
        fb.up = labels.make(gr.Button, {"value": "fb_up"}, size="sm", min_width=60, elem_id="fb-up")
        fb.down = labels.make(gr.Button, {"value": "fb_down"}, size="sm", min_width=60, elem_id="fb-down")
        fb.scope = labels.make(gr.Button, {"value": "fb_scope"}, size="sm", visible=False, elem_id="fb-scope")
    fb.reason = labels.make(gr.Radio, {"label": "fb_reason_label", "choices": reason_choices}, value=None,
                            visible=False, elem_id="fb-reason")
    fb.block = labels.make(gr.Radio, {"label": "fb_block_label"}, choices=block_choices(knowledge), value=None,
                           visible=False, elem_id="fb-block")
    with gr.Row(visible=False, elem_id="fb-other") as fb.other:
        fb.text = labels.make(gr.Textbox, {"label": "fb_text_label"}, max_lines=1, scale=4, elem_id="fb-text")
        fb.send = labels.make(gr.Button, {"value": "fb_send"}, size="sm", scale=1, min_width=80, elem_id="fb-send")
    fb.thanks = gr.HTML(thanks_html(), elem_id="fb-thanks")
    return fb


def row_outputs(fb) -> list:
    """What a new answer resets: its id, the row, the scope button, the reason and block choices,
    the text line and the thanks."""
    return [fb.answer_id, fb.row, fb.scope, fb.reason, fb.block, fb.other, fb.thanks]


def new_answer(store, answer, session: str) -> list:
    """The updates for ``row_outputs`` after ``answer``: a fresh id, the buttons shown (the scope
    button only on a turned-away question), everything else hidden."""
    import gradio as gr
    hidden = gr.update(value=None, visible=False)
    return [store.remember(answer, session), gr.update(visible=True),
            gr.update(visible=answer.kind in TURNED_AWAY), hidden, hidden, gr.update(visible=False), thanks_html()]


def wire_row(fb, store, lang) -> None:
    import gradio as gr
    private = {"api_visibility": "private"}
    hide = gr.update(value=None, visible=False)
    outputs = [fb.reason, fb.block, fb.other, fb.thanks]

    def done(text):
        """After a stored rating: the thanks line; the choices close. Nothing stored: nothing changes."""
        if not text:
            return [gr.skip()] * 4
        return [hide, hide, gr.update(visible=False), thanks_html(text)]

    def on_up(answer_id, lang_value):
        return done(give(store, answer_id, "up", lang=lang_value))

    def on_down(answer_id, lang_value):
        text = give(store, answer_id, "down", lang=lang_value)
        if not text:
            return [gr.skip()] * 4
        return [gr.update(value=None, visible=True), hide, gr.update(visible=False), thanks_html(text)]

    def on_scope(answer_id, lang_value):
        return done(give(store, answer_id, "down", "in_scope", lang=lang_value))

    def on_reason(reason, answer_id, lang_value):
        if reason == "wrong_block":
            return [gr.skip(), gr.update(value=None, visible=True), gr.update(visible=False), gr.skip()]
        if reason == "other":
            return [gr.skip(), hide, gr.update(visible=True), gr.skip()]
        if not reason:
            return [gr.skip()] * 4
        return done(give(store, answer_id, "down", reason, lang=lang_value))

    def on_block(key, answer_id, lang_value):
        if not key:
            return [gr.skip()] * 4
        return done(give(store, answer_id, "down", "wrong_block", key, lang=lang_value))

    def on_send(text, answer_id, lang_value):
        return done(give(store, answer_id, "down", "other", text or "", lang=lang_value))

    fb.up.click(on_up, [fb.answer_id, lang], outputs, **private)
    fb.down.click(on_down, [fb.answer_id, lang], outputs, **private)
    fb.scope.click(on_scope, [fb.answer_id, lang], outputs, **private)
    fb.reason.input(on_reason, [fb.reason, fb.answer_id, lang], outputs, **private)
    fb.block.input(on_block, [fb.block, fb.answer_id, lang], outputs, **private)
    fb.send.click(on_send, [fb.text, fb.answer_id, lang], outputs, **private)
    fb.text.submit(on_send, [fb.text, fb.answer_id, lang], outputs, **private)


def api_feedback(store, answer_id: str, rating: str, reason: str = "", correction: str = "") -> dict:
    """The named ``feedback`` endpoint: ``{"ok": true, "message": thanks}``; bad input (or feedback
    off) raises a ``FeedbackError`` with the message."""
    return {"ok": True, "message": store.record(answer_id, rating, reason or "", correction or "")}


def register_api(store) -> None:
    """``feedback(answer_id, rating, reason, correction)``: call inside the Blocks."""
    import gradio as gr

    @gr.api(api_name="feedback")
    def feedback(answer_id: str, rating: str, reason: str = "", correction: str = "") -> dict:
        """Rate an answer by its answer_id (from /ask): rating up or down; on down a reason
        (no_answer, wrong_block, wrong_case, unclear, other, in_scope) and a correction (the block
        for wrong_block, an optional line of text for other)."""
        try:
            return api_feedback(store, answer_id, rating, reason, correction)
        except FeedbackError as err:
            raise user_error(str(err)) from None


# ----------------------------------------------------------------------------------- the panel

def panel(store, lang: str) -> tuple[str, list[str]]:
    """(the gaps report as Markdown, [Markdown file, CSV file]) from all feedback kept now."""
    lang = lang_code(lang)
    store.purge()
    rows = store.rows()
    text = report_markdown(gaps_report(rows), lang)
    folder = export_dir()
    md, csv_ = folder / "mozaiekcoach-feedback.md", folder / "mozaiekcoach-feedback.csv"
    md.write_text(text, encoding="utf-8")
    csv_.write_text(rows_csv(rows), encoding="utf-8")
    return text, [str(md), str(csv_)]


def build_panel(labels: Labels) -> SimpleNamespace:
    """The gaps panel (an accordion; the whole app is behind ``COACH_AUTH`` when it is set)."""
    import gradio as gr
    p = SimpleNamespace()
    with labels.make(gr.Accordion, {"label": "gaps_panel"}, open=False, elem_id="gaps") as p.box:
        p.refresh = labels.make(gr.Button, {"value": "gaps_refresh"}, size="sm", elem_id="gaps-refresh")
        p.report = gr.Markdown(elem_id="gaps-report")
        p.files = labels.make(gr.File, {"label": "gaps_files"}, file_count="multiple", visible=False,
                              elem_id="gaps-files")
    return p


def wire_panel(p, store, lang) -> None:
    import gradio as gr

    def show(lang_value):
        text, files = panel(store, lang_value)
        return text, gr.update(value=files, visible=True)

    p.refresh.click(show, [lang], [p.report, p.files], api_visibility="private")
    p.box.expand(show, [lang], [p.report, p.files], api_visibility="private")

