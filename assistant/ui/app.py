"""The whole app: header, the four tabs, the language switch, the index banner and the mode line."""
from __future__ import annotations

from .tabs import coach
from .tabs import leerkring
from .tabs import prep
from .tabs import scan
from . import status
from .tabs import tour
from .tabs import docs as docs_tab
from .common import EXPORT_ROOT, Labels, lang_code
from .page import CSS, DutchFirstPage, locale_js

# A learning circle of about 20 people asks at the same time; an offline answer takes tens of
# milliseconds, so 8 workers keep the queue short without oversubscribing 2 cores.
CONCURRENCY = 8
QUEUE_SIZE = 200
POLL_SECONDS = 3.0  # how often a page asks about the index while it is being built


def build_app(holder, store=None, feedback=None):
    """The Gradio Blocks app around a ``CoachHolder`` (``holder.knowledge`` is ready at once) and
    the learning-circle store (opened in the data folder when not given); ``feedback``: the
    ``FeedbackStore`` (opened as ``COACH_FEEDBACK`` says when not given; old rows purged)."""
    import gradio as gr
    if store is None:
        from .server import open_store
        store = open_store(holder.settings)
    if feedback is None:
        from ..usage.feedback import open_feedback
        feedback = open_feedback(holder.settings)
    rated = feedback.enabled
    knowledge = holder.knowledge
    labels = Labels()
    private = {"api_visibility": "private"}

    # Gradio's temporary copies (an upload chosen but never added, a download nobody fetched) are
    # swept every hour once they are a day old, and all of them when the app restarts (issue 20,
    # item 17); handled uploads and reports are removed at once by their own code.
    with gr.Blocks(title="Mozaïekcoach", analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        gr.Markdown("# Mozaïekcoach")
        with gr.Row():  # on a phone the language choice moves under the introduction
            with gr.Column(scale=4, min_width=300):
                labels.make(gr.Markdown, {"value": "intro"}, elem_id="intro")
                labels.make(gr.Markdown, {"value": "intro_more"}, elem_id="intro-more")
            lang = labels.make(gr.Radio, {"label": "lang_label"}, choices=[("Nederlands", "nl"), ("English", "en")],
                               value="nl", scale=0, min_width=270, elem_id="lang")
        banner = gr.Markdown(visible=False, elem_id="status")
        with labels.make(gr.Accordion, {"label": "about"}, open=False):
            mode = gr.Markdown(elem_id="mode")
            check = labels.make(gr.Button, {"value": "check_llm"}, size="sm", visible=holder.settings.llm != "none",
                                elem_id="check-llm")
            labels.make(gr.Markdown, {"value": "source"})

        with gr.Tabs() as tabs:
            with labels.make(gr.Tab, {"label": "tab_coach"}, id="coach"):
                coach_ui = coach.build(knowledge, labels, getattr(holder.settings, "docs", True), rated)
            with labels.make(gr.Tab, {"label": "tab_prep"}, id="prep"):
                prep_ui = prep.build(knowledge, labels)
            with labels.make(gr.Tab, {"label": "tab_tour"}, id="tour"):
                tour_ui = tour.build(knowledge, labels)
            with labels.make(gr.Tab, {"label": "tab_scan"}, id="scan"):
                live_ui = leerkring.build(knowledge, labels)
                labels.make(gr.Markdown, {"value": "scan_manual"})
                scan_ui = scan.build(knowledge, labels)
            docs_ui = docs_tab.build(labels)
        if rated:  # what users' feedback says the coach misses (behind the app's login)
            from . import feedback as feedback_ui
            gaps_ui = feedback_ui.build_panel(labels)
            feedback_ui.wire_panel(gaps_ui, feedback, lang)
        labels.make(gr.Markdown, {"value": "source"})

        from .feedback import register_api
        register_api(feedback)  # the named endpoint exists always; it refuses while feedback is off
        coach.wire(coach_ui, holder, lang, feedback)
        prep.wire(prep_ui, holder, lang)
        tour.wire(tour_ui, knowledge, lang)
        scan.wire(scan_ui, knowledge, lang)
        docs_tab.wire(docs_ui, holder, lang)
        leerkring.wire(live_ui, holder, store, lang)

        def to_coach(index, lang_value):
            key, question = tour.question_about(knowledge, index, lang_value)
            chosen, mosaic, label = coach.pick_block(knowledge, key, None, lang_value)
            return gr.Tabs(selected="coach"), chosen, mosaic, label, question

        def to_prep(purpose, situation, keys, lang_value):
            known = {b.key: b.name for b in knowledge.blocks}
            names = [known[k] for k in keys if k in known]
            sheet, files = prep.run_prep(holder, purpose, situation, names, lang_value, chosen_by="leerkring")
            return (gr.Tabs(selected="prep"), purpose, situation, names, sheet,
                    gr.update(value=files, visible=True))

        live_ui.to_prep.click(leerkring.prep_handler(store, knowledge, to_prep), [live_ui.circle, lang],
                              [tabs, prep_ui.purpose, prep_ui.situation, prep_ui.focus, prep_ui.sheet, prep_ui.files],
                              **private)

        # "Vraag de coach" asks at once (the question appears in the chat, not only in the box)
        tour_ui.ask.click(to_coach, [tour_ui.index, lang],
                          [tabs, coach_ui.chosen, coach_ui.mosaic, coach_ui.chosen_label, coach_ui.box], **private) \
            .then(**coach_ui.ask_box).then(**coach_ui.scroll)

        def switch_language(code, chosen, tour_index, scan_state):
            code = lang_code(code)
            _, mosaic, label = coach.pick_block(knowledge, chosen, None, code)
            return (*labels.updates(code), mosaic if chosen else gr.skip(), label, *tour.updates(tour.show(knowledge, tour_index, code)),
                    scan.table(knowledge, scan_state, code), status.mode_line(holder, code))

        lang.change(None, [lang], None, js=locale_js(), **private)
        lang.change(switch_language, [lang, coach_ui.chosen, tour_ui.index, scan_ui.scan],
                    [*labels.components, coach_ui.mosaic, coach_ui.chosen_label, *tour.outputs(tour_ui),
                     scan_ui.table, mode], **private)

        timer = gr.Timer(POLL_SECONDS, active=status.banner(holder)[1])

        def show_banner(lang_value):
            text, polling = status.banner(holder, lang_value)
            return gr.update(value=text, visible=bool(text)), gr.Timer(active=polling)

        demo.load(show_banner, [lang], [banner, timer], **private)
        timer.tick(show_banner, [lang], [banner, timer], **private)
        demo.load(lambda l: status.mode_line(holder, l), [lang], [mode], **private)
        demo.load(*live_ui.load, **private)
        check.click(lambda l: status.mode_line(holder, l, check=True), [lang], [mode], **private)

    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return demo


def mount_options(settings) -> dict:
    """Keyword arguments for ``gr.mount_gradio_app``: login, style, Dutch page, exports only, and no
    upload larger than an own document may be (the server refuses it before it is processed)."""
    from starlette.middleware import Middleware

    from ..docs.loaders import MAX_BYTES
    return dict(auth=list(settings.auth) or None, css=CSS + leerkring.CSS, ssr_mode=False, show_error=False,
                footer_links=[], allowed_paths=[str(EXPORT_ROOT)], max_file_size=MAX_BYTES,
                app_kwargs={"middleware": [Middleware(DutchFirstPage)]})
