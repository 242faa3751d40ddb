"""The Coach tab: a conversation with the coach, the mozaïek, block chips, deepening questions,
export and clear. The handlers are plain functions over the ``CoachHolder``; ``wire`` connects them."""

import html
import time
from types import SimpleNamespace

from ...util.atomic import atomic_write_text
from ...coach.conversation import Conversation
from ...present.markdown import chat_markdown, conversation_markdown, md_escape, sources_markdown
from ...strings import UI_EXAMPLES, ui_text
from ..common import Labels, export_dir, lang_code, need_coach
from ..mosaic import mozaiek_html

TYPING_STEPS = 12  # an offline answer is ready at once; it is still shown in about this many steps


# ----------------------------------------------------------------------------------- handlers

WAIT_POLL_S = 1.0  # while the coach is being built, how often a waiting question looks again
WAIT_MAX_S = 900.0  # after this long a waiting question gives up with the holder's message

# After an answer: bring the newest question (and the answer under it) to the top of the view
# instead of the chat's bottom.
SCROLL_JS = ("() => { const rows = document.querySelectorAll('#chat .user-row');"
             " const row = rows[rows.length - 1]; if (row) row.scrollIntoView({block: 'start'}); }")


def waiting_text(holder, lang: str) -> str:
    """"Ik ben zo klaar: …" with what the coach is doing now (building the index, training)."""
    phase = holder.phase() if hasattr(holder, "phase") else ("indexing", 0, 0)
    if phase[0] == "training":
        what = ui_text("wait_training", lang)
    else:
        done, total = phase[1], phase[2]
        what = ui_text("wait_indexing", lang, pct=f" ({100 * done // total}%)" if total else "")
    return ui_text("wait_answer", lang, what=what)


def respond(holder, message: str, chat: list, conversation: Conversation, block: str | None, lang: str,
            session: str = "", docs: bool | None = None, on_answer=None):
    """Stream the answer into the chat, then its sources in a collapsible box under it.

    Yields ``(chat, conversation, mosaic HTML, deepening choices, question box, block choices,
    stem choices)``; ``None`` for the mosaic and the choices means: leave them as they are.
    Deepening choices are (label "Vraag n", question) for the questions shown in the answer; block
    choices the two blocks the coach asks to choose between (name, key), or empty; stem choices
    the answer's "stem af met" blocks (name, key). ``docs``: the "ook eigen documenten" toggle
    (None: as ``COACH_DOCS`` says). ``on_answer``: called with the finished ``Answer`` before the
    last yield (the feedback row takes its id from it). A question asked while the coach is still
    being built is kept: the chat says so and the answer follows as soon as the coach is ready.
    """
    from ...coach.answer import Answer
    lang = lang_code(lang)
    message = (message or "").strip()
    if not message:
        import gradio as gr
        gr.Warning(ui_text("empty_question", lang))
        yield chat, conversation, None, None, message, None, None
        return
    conversation = Conversation() if conversation is None else conversation
    chat = [*chat, {"role": "user", "content": md_escape(message)}, {"role": "assistant", "content": ""}]
    if holder.answerer is None:
        waited, shown_wait = 0.0, None
        while holder.answerer is None:
            state, _ = holder.status()
            if state != "building" or waited >= WAIT_MAX_S:
                need_coach(holder, lang)  # the holder's error, in a friendly box
            text = waiting_text(holder, lang)
            if text != shown_wait:
                chat[-1] = {"role": "assistant", "content": text}
                shown_wait = text
                yield chat, conversation, None, None, "", None, None
            time.sleep(WAIT_POLL_S)
            waited += WAIT_POLL_S
        chat[-1] = {"role": "assistant", "content": ""}
    shown, answer = "", None
    for item in holder.answerer.stream(message, block=block or None, lang=lang, history=conversation, docs=docs):
        if isinstance(item, Answer):
            answer = item
        else:  # a checked sentence from the language model
            shown += item
            chat[-1] = {"role": "assistant", "content": shown}
            yield chat, conversation, None, None, "", None, None
    if holder.settings.log_dir:
        from ...usage import convlog
        convlog.write(holder.settings.log_dir, session, answer.to_dict())
    if on_answer is not None:
        on_answer(answer)
    text = chat_markdown(answer)
    if not shown:  # offline: show the ready answer in a few steps, as if typed
        words = text.split(" ")
        step = max(8, len(words) // TYPING_STEPS)
        for i in range(step, len(words), step):
            chat[-1] = {"role": "assistant", "content": " ".join(words[:i])}
            yield chat, conversation, None, None, "", None, None
    chat[-1] = {"role": "assistant", "content": text}
    asks_first = answer.kind == "clarify"  # a question back: no sources, no questions yet, only the choice
    if answer.citations and not asks_first:
        chat.append({"role": "assistant", "content": sources_box(answer)})
    conversation = conversation.add(answer)
    scores = dict(answer.blocks[:2])
    known = {b.key for b in holder.knowledge.blocks}
    yield (chat, conversation, mozaiek_html(holder.knowledge, scores, answer.lang), deepening_choices(answer), "",
           block_choices(answer), [(name, key) for name, key in stem_choices(answer) if key in known])


def deepening_choices(answer) -> list[tuple[str, str]]:
    """The deepening questions shown in the answer, as (label, question): "Vraag 1", "Vraag 2", …
    The answer shows the questions themselves; the choice only names them (nothing on screen twice)."""
    if answer.kind != "answer":
        return []
    return [(ui_text("deep_choice", answer.lang, n=n), q) for n, (_, q) in enumerate(answer.deepening, 1)]


def stem_choices(answer) -> list[tuple[str, str]]:
    """The answer's "stem af met" blocks as (name, key): a click shows the situation from that block."""
    if answer.kind != "answer":
        return []
    return list(dict.fromkeys((s.to_name, s.to) for s in answer.stem))


def block_choices(answer) -> list[tuple[str, str]]:
    """The two blocks to choose from when the coach asks which one it is (kind "clarify"): (name, key)."""
    if answer.kind != "clarify" or answer.block is None or answer.runner_up is None:
        return []
    return [(answer.block.name, answer.block.key), (answer.runner_up.name, answer.runner_up.key)]


def choose_between(knowledge, key: str | None, conversation: Conversation, lang: str):
    """One of the two offered blocks was chosen: that block lights up and its name is the reply
    (the coach answers the question it asked about with that block; the question is not repeated).
    ``(mosaic, reply)``; ``None`` when nothing was chosen."""
    if not key or not conversation:
        return None
    lang = lang_code(lang)
    return mozaiek_html(knowledge, {key: 1.0}, lang), knowledge.block(key).name


def to_block(knowledge, key: str | None, lang: str) -> str | None:
    """The message a "stem af met" click sends: the same situation from block ``key``."""
    if not key:
        return None
    return ui_text("to_block", lang_code(lang), name=knowledge.block(key).name)


def sources_box(answer) -> str:
    """The answer's sources as a collapsed box (a plain ``<details>``: keyboard and screen-reader friendly)."""
    title = html.escape(ui_text("sources_title", answer.lang, n=len(answer.citations)))
    return f"<details class='sources'><summary>{title}</summary>\n\n{sources_markdown(answer)}\n\n</details>"


def chosen_label(knowledge, key: str | None, lang: str) -> str:
    """The line under the mozaïek saying which block the user chose, if any."""
    if not key:
        return ui_text("no_block", lang)
    return ui_text("focus", lang, name=knowledge.block(key).name, tagline=knowledge.block(key).tagline)


def pick_block(knowledge, block: str, current: str | None, lang: str = "nl") -> tuple[str | None, str, str]:
    """A chip was clicked: choose that block, or clear the choice when it was already chosen."""
    lang = lang_code(lang)
    key = None if block == current else block
    return key, mozaiek_html(knowledge, {key: 1.0} if key else None, lang), chosen_label(knowledge, key, lang)


def export_chat(conversation: Conversation, lang: str) -> str | None:
    """The conversation as a Markdown file (its path), or ``None`` when there is nothing to save."""
    lang = lang_code(lang)
    if not conversation:
        import gradio as gr
        gr.Warning(ui_text("nothing_to_save", lang))
        return None
    path = export_dir() / "mozaiekcoach-gesprek.md"
    atomic_write_text(path, conversation_markdown(conversation, lang))
    return str(path)


def clear_chat(knowledge, lang: str) -> tuple:
    """An empty conversation: ``(chat, conversation, chosen block, mosaic, deepening, chosen label)``."""
    lang = lang_code(lang)
    return [], Conversation(), None, mozaiek_html(knowledge, None, lang), [], chosen_label(knowledge, None, lang)


def follow_up(question: str | None, lang: str) -> str | None:
    """The question to ask when a deepening question is clicked (``None``: nothing clicked)."""
    if not question:
        return None
    return ui_text("follow_up", lang_code(lang), question=question)


def api_ask(holder, question: str, block: str = "", lang: str = "", feedback=None) -> dict:
    """The /ask endpoint: one answer as in ``python -m assistant ask --json`` (no conversation),
    with the ``answer_id`` that feedback on it refers to (remembered by ``feedback``, the
    ``FeedbackStore``, when feedback is on)."""
    import secrets
    need_coach(holder, lang_code(lang))
    answer = holder.answerer.ask(question, block=block or None, lang=lang or None)
    answer_id = feedback.remember(answer, "api") if feedback is not None else secrets.token_urlsafe(12)
    return {**answer.to_dict(), "answer_id": answer_id}


def examples(lang: str) -> list[tuple[str, list[list[str]]]]:
    """Example questions per kind of user: (label, samples)."""
    return [(ui_text("examples_label", lang, who=who), [[q] for q in qs]) for who, qs in UI_EXAMPLES[lang]]


# ----------------------------------------------------------------------------------- layout

def build(knowledge, labels: Labels, docs: bool = True, feedback: bool = False) -> SimpleNamespace:
    """The tab's components (call inside a ``gr.Tab``); ``docs``: whether "ook eigen documenten"
    starts ticked (``COACH_DOCS``); ``feedback``: 👍/👎 under the answer (``COACH_FEEDBACK``). The
    conversation comes first and grows with the page (no box in a box); the mozaïek and the block chips sit beside it, and under it on a phone."""
    import gradio as gr
    ui = SimpleNamespace()
    ui.conversation = gr.State(Conversation())
    ui.chosen = gr.State(None)
    with gr.Row(equal_height=False, elem_id="coach-row"):
        with gr.Column(scale=3, min_width=320, elem_id="coach-main"):
            ui.chat = labels.make(gr.Chatbot, {"label": "chat_label", "placeholder": "chat_placeholder"},
                                  height="auto", autoscroll=False, elem_id="chat", buttons=["copy_all"])
            ui.feedback = None
            if feedback:  # 👍/👎 right under the newest answer
                from ..feedback import build_row
                ui.feedback = build_row(knowledge, labels)
            with gr.Row(elem_id="ask-row"):
                ui.box = labels.make(gr.Textbox, {"label": "question_label", "placeholder": "question_placeholder"},
                                     show_label=False, scale=5, min_width=200, elem_id="question", max_length=4000)
                ui.send = labels.make(gr.Button, {"value": "send"}, variant="primary", scale=1, min_width=80,
                                      elem_id="send")
            ui.which = labels.make(gr.Radio, {"label": "which_label"}, choices=[], visible=False, elem_id="which-block")
            ui.deep = labels.make(gr.Radio, {"label": "deepening_label"}, choices=[], visible=False,
                                  elem_id="deepening")
            ui.stems = labels.make(gr.Radio, {"label": "stem_label"}, choices=[], visible=False, elem_id="stems")
            ui.use_docs = labels.make(gr.Checkbox, {"label": "docs_toggle"}, value=docs, elem_id="use-docs")
            with gr.Row():
                ui.export = labels.make(gr.Button, {"value": "export"}, size="sm", elem_id="export")
                ui.clear = labels.make(gr.Button, {"value": "clear"}, size="sm", elem_id="clear")
            ui.export_file = labels.make(gr.File, {"label": "download"}, visible=False, elem_id="export-file")
        with gr.Column(scale=1, min_width=260, elem_id="coach-side"):
            labels.make(gr.Markdown, {"value": "struggle"}, elem_id="struggle")
            with gr.Row(elem_id="chips"):
                ui.chips = [gr.Button(b.name, size="sm", min_width=100, elem_id=f"chip-{b.key}")
                            for b in knowledge.blocks]
            ui.chosen_label = gr.Markdown(chosen_label(knowledge, None, "nl"), elem_id="chosen-label")
            ui.mosaic = gr.HTML(mozaiek_html(knowledge), elem_id="mozaiek")
    ui.examples = [labels.make(gr.Dataset, {"label": lambda lang, i=i: examples(lang)[i][0],
                                            "samples": lambda lang, i=i: examples(lang)[i][1]},
                               components=[ui.box], type="index", elem_id=f"examples-{i}")
                   for i in range(len(examples("nl")))]
    return ui


def wire(ui: SimpleNamespace, holder, lang, feedback=None) -> None:
    """Connect the tab's events (none of them is an API endpoint but ``ask``); ``feedback``: the
    ``FeedbackStore`` (its id goes with every answer; the 👍/👎 row when the tab has one)."""
    import gradio as gr
    knowledge = holder.knowledge
    private = {"api_visibility": "private"}

    def choices(values):
        return gr.skip() if values is None else gr.update(choices=values, value=None, visible=bool(values))

    rated = ui.feedback is not None and feedback is not None

    def run(message, chat, conversation, block, lang_value, use_docs, request):
        session = getattr(request, "session_hash", "") or ""
        answered = []
        for chat_, conv, mosaic, deep, box, which, stems in respond(holder, message, chat, conversation, block,
                                                                   lang_value, session, bool(use_docs),
                                                                   on_answer=answered.append):
            done = deep is not None
            # a chosen block counts for the question it was chosen for; the next one starts fresh
            out = (chat_, conv, gr.skip() if mosaic is None else mosaic, choices(deep), box, choices(which),
                   choices(stems), None if done else gr.skip(),
                   chosen_label(knowledge, None, lang_value) if done else gr.skip())
            if rated:
                from ..feedback import new_answer
                out += tuple(new_answer(feedback, answered[-1], session) if done and answered
                             else [gr.skip()] * 7)
            yield out

    def on_respond(message, chat, conversation, block, lang_value, use_docs, request: gr.Request):
        yield from run(message, chat, conversation, block, lang_value, use_docs, request)

    def on_deep(question, chat, conversation, lang_value, use_docs, request: gr.Request):
        if not question:
            return
        yield from run(follow_up(question, lang_value), chat, conversation, None, lang_value, use_docs, request)

    def on_stem(key, chat, conversation, lang_value, use_docs, request: gr.Request):
        if not key:
            return
        yield from run(to_block(knowledge, key, lang_value), chat, conversation, None, lang_value, use_docs, request)

    def on_which(key, chat, conversation, lang_value, use_docs, request: gr.Request):
        chosen = choose_between(knowledge, key, conversation, lang_value)
        if chosen is None:
            return
        yield from run(chosen[1], chat, conversation, None, lang_value, use_docs, request)

    ask_in = [ui.box, ui.chat, ui.conversation, ui.chosen, lang, ui.use_docs]
    click_in = [ui.chat, ui.conversation, lang, ui.use_docs]
    ask_out = [ui.chat, ui.conversation, ui.mosaic, ui.deep, ui.box, ui.which, ui.stems, ui.chosen, ui.chosen_label]
    if rated:
        from ..feedback import row_outputs, wire_row
        ask_out += row_outputs(ui.feedback)
        wire_row(ui.feedback, feedback, lang)
    scroll = {"fn": None, "inputs": None, "outputs": None, "js": SCROLL_JS, **private}

    ui.ask_box = {"fn": on_respond, "inputs": ask_in, "outputs": ask_out, **private}  # for other tabs
    ui.scroll = scroll
    ui.send.click(on_respond, ask_in, ask_out, **private).then(**scroll)
    ui.box.submit(on_respond, ask_in, ask_out, **private).then(**scroll)
    ui.deep.input(on_deep, [ui.deep, *click_in], ask_out, **private).then(**scroll)
    ui.stems.input(on_stem, [ui.stems, *click_in], ask_out, **private).then(**scroll)
    ui.which.input(on_which, [ui.which, *click_in], ask_out, **private).then(**scroll)
    for i, dataset in enumerate(ui.examples):
        dataset.click(lambda n, l, i=i: examples(lang_code(l))[i][1][n][0], [dataset, lang], [ui.box], **private)
    for chip, b in zip(ui.chips, knowledge.blocks):
        chip.click(lambda cur, l, k=b.key: pick_block(knowledge, k, cur, l), [ui.chosen, lang],
                   [ui.chosen, ui.mosaic, ui.chosen_label], **private)

    def on_export(conversation, lang_value):
        path = export_chat(conversation, lang_value)
        return gr.update(value=path, visible=path is not None)

    ui.export.click(on_export, [ui.conversation, lang], [ui.export_file], **private)

    def on_clear(lang_value):
        chat, conv, chosen, mosaic, _, label = clear_chat(knowledge, lang_value)
        hidden = gr.update(choices=[], value=None, visible=False)
        return chat, conv, chosen, mosaic, hidden, label, hidden, hidden

    ui.clear.click(on_clear, [lang], [ui.chat, ui.conversation, ui.chosen, ui.mosaic, ui.deep, ui.chosen_label,
                                      ui.which, ui.stems], **private)
    if rated:  # a cleared conversation has no answer to rate
        from ..feedback import thanks_html
        ui.clear.click(lambda: ("", gr.update(visible=False), gr.update(value=None, visible=False),
                                gr.update(value=None, visible=False), gr.update(visible=False), thanks_html()),
                       None, [ui.feedback.answer_id, ui.feedback.row, ui.feedback.reason, ui.feedback.block,
                              ui.feedback.other, ui.feedback.thanks], **private)

    @gr.api(api_name="ask")
    def ask(question: str, block: str = "", lang: str = "") -> dict:
        """Ask the coach; returns the answer as in `python -m assistant ask --json`."""
        return api_ask(holder, question, block, lang, feedback)
