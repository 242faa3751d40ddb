"""The "Kennismaken" tab: a tour of the seven building blocks, with their "stem af met" links
and the practice cases that belong to each. Everything in the chosen language."""
from __future__ import annotations

from types import SimpleNamespace

from ...knowledge.mozaiek import BLOCK_NAMES
from ...strings import ui_text
from ..common import Labels, lang_code
from ..mosaic import mozaiek_html

STEM_SLOTS = 3  # every block has at most three "stem af met" links


def start_markdown(knowledge, lang: str = "nl") -> str:
    """The tour's opening page: what the Netwerkmozaïek is, the seven blocks in one line each (their
    own "Zorg voor …" lines), where to begin, and "Vragen" versus "Verdiepende vragen"."""
    t = lambda key, **kw: ui_text(key, lang, **kw)  # noqa: E731
    lines = [f"## {t('tour_start_title')}", t("tour_start_what"), "", f"### {t('tour_start_blocks')}"]
    lines += [f"- **{b.name}** — {b.tagline}" for b in knowledge.blocks]
    lines += ["", t("tour_start_links"), "", f"### {t('tour_start_begin_title')}", t("tour_start_begin"), "",
              f"### {t('tour_start_questions_title')}", t("tour_start_questions")]
    return "\n".join(lines)


def _fold(title: str, body: list[str], open_: bool = False) -> list[str]:
    """A section that opens on a click (a plain ``<details>``, keyboard and screen-reader friendly)."""
    return [f"<details{' open' if open_ else ''}><summary><strong>{title}</strong></summary>", "", *body, "",
            "</details>", ""]


def tour_markdown(block, cases, lang: str = "nl") -> str:
    """One block's page in short sections: tagline and explanation open, the questions, deepening
    questions, links and practice stories one click away."""
    t = lambda key: ui_text(key, lang)  # noqa: E731
    lines = [f"## {block.name}", f"*{block.tagline}*", ""]
    lines += _fold(t("tour_brief"), [block.toelichting], open_=True)
    lines += _fold(t("tour_questions"), [f"- {q}" for q in block.key_questions])
    lines += _fold(t("tour_deepening"), [f"{i}. {q}" for i, q in enumerate(block.deepening_questions, 1)])
    lines += _fold(t("tour_stem"), [f"- **{BLOCK_NAMES.get(s.to, s.to)}** — {s.text}" for s in block.stem_af_met])
    if cases:
        lines += _fold(t("tour_practice"), [f"- **{case_label(c)}** — {', '.join(p.name for p in c.people)}"
                                            for c in cases])
    return "\n".join(lines)


def case_label(case) -> str:
    """A practice story named by place and network ("Heerlen-Noord — Alliantie Heerlen-Noord")."""
    if case.place and case.place != "Nederland" and case.place not in case.network:
        return f"{case.place} — {case.network}"
    return case.network


def case_passage(knowledge, case) -> str:
    """The first paragraph of the case's story in the magazine."""
    section = next((s for s in knowledge.magazine.sections if s.title == case.section), None)
    if section is None:
        return ""
    paragraphs = list(section.paragraphs)
    if case.starts_at:
        start = next((i for i, p in enumerate(paragraphs) if case.starts_at in p), 0)
        paragraphs = paragraphs[start:]
    return paragraphs[0] if paragraphs else ""


def case_story(knowledge, case) -> list[str]:
    """The case's whole story in the magazine, paragraph by paragraph."""
    section = next((s for s in knowledge.magazine.sections if s.title == case.section), None)
    if section is None:
        return []
    paragraphs = list(section.paragraphs)
    if case.starts_at:
        start = next((i for i, p in enumerate(paragraphs) if case.starts_at in p), 0)
        paragraphs = paragraphs[start:]
    return paragraphs


def case_markdown(case, passage: str, lang: str = "nl", story: list[str] | None = None) -> str:
    people = "\n".join(f"- **{p.name}** — {p.role}" for p in case.people)
    blocks = ", ".join(BLOCK_NAMES.get(b, b) for b in case.blocks)
    out = (f"### {case_label(case)}\n*{case.section}*\n\n{people}\n\n"
           f"**{ui_text('case_blocks', lang)}:** {blocks}\n\n> {passage}")
    if story and len(story) > 1:
        out += "\n\n" + "\n".join(_fold(ui_text("tour_read_story", lang), ["\n\n".join(story)]))
    return out


def cases_of(knowledge, block) -> list:
    return [c for c in knowledge.cases if block.key in c.blocks]


def stem_links(knowledge, block) -> list:
    """The block's "stem af met" links to blocks of this magazine, at most ``STEM_SLOTS``."""
    keys = {b.key for b in knowledge.blocks}
    return [s for s in block.stem_af_met if s.to in keys][:STEM_SLOTS]


def show(knowledge, index: int | None, lang: str = "nl") -> dict:
    """The tour at block ``index`` (wrapping around), or its opening page (``index`` None): page,
    mosaic, link buttons and case choices."""
    lang = lang_code(lang)
    if index is None:
        return {"index": None, "block": ui_text("tour_start", lang), "mosaic": mozaiek_html(knowledge, None, lang),
                "page": start_markdown(knowledge, lang), "stems": [None] * STEM_SLOTS, "cases": []}
    index = index % len(knowledge.blocks)
    block = knowledge.blocks[index]
    stems = [BLOCK_NAMES.get(s.to, s.to) for s in stem_links(knowledge, block)]
    return {"index": index, "block": block.name,
            "mosaic": mozaiek_html(knowledge, {block.key: 1.0}, lang),
            "page": tour_markdown(block, cases_of(knowledge, block), lang),
            "stems": stems + [None] * (STEM_SLOTS - len(stems)),
            "cases": [(case_label(c), c.network) for c in cases_of(knowledge, block)]}


def goto_stem(knowledge, index: int, slot: int, lang: str = "nl") -> dict:
    """Follow the block's ``slot``-th "stem af met" link, keeping the language."""
    block = knowledge.blocks[index % len(knowledge.blocks)]
    target = stem_links(knowledge, block)[slot].to
    return show(knowledge, [b.key for b in knowledge.blocks].index(target), lang)


def goto_name(knowledge, name: str, lang: str = "nl") -> dict:
    names = [b.name for b in knowledge.blocks]
    return show(knowledge, names.index(name) if name in names else None, lang)


def step(knowledge, index: int | None, delta: int) -> int | None:
    """Previous/next: the opening page comes before the first block and after the last."""
    n = len(knowledge.blocks)
    if index is None:
        return 0 if delta > 0 else n - 1
    index += delta
    return None if index < 0 or index >= n else index


def case_detail(knowledge, network: str | None, lang: str = "nl") -> str:
    case = next((c for c in knowledge.cases if c.network == network), None)
    if case is None:
        return ""
    return case_markdown(case, case_passage(knowledge, case), lang_code(lang), case_story(knowledge, case))


def question_about(knowledge, index: int | None, lang: str = "nl") -> tuple[str | None, str]:
    """(block key, question) to take the block (or, from the opening page, the whole mozaïek) to the
    Coach tab."""
    if index is None:
        return None, ui_text("tour_question_start", lang_code(lang))
    block = knowledge.blocks[index % len(knowledge.blocks)]
    return block.key, ui_text("tour_question", lang_code(lang), name=block.name)


# ----------------------------------------------------------------------------------- layout

def build(knowledge, labels: Labels) -> SimpleNamespace:
    import gradio as gr
    first = show(knowledge, None)
    ui = SimpleNamespace()
    ui.index = gr.State(None)
    ui.mosaic = gr.HTML(first["mosaic"], elem_id="tour-mosaic")
    with gr.Row():
        ui.prev = labels.make(gr.Button, {"value": "tour_prev"}, size="sm", elem_id="tour-prev")
        ui.pick = labels.make(gr.Radio, {"label": "tour_pick"},
                              choices=[ui_text("tour_start", "nl"), *[b.name for b in knowledge.blocks]],
                              value=first["block"], show_label=False, elem_id="tour-pick", scale=4)
        ui.next = labels.make(gr.Button, {"value": "tour_next"}, size="sm", elem_id="tour-next")
    ui.page = gr.Markdown(first["page"], elem_id="tour-page")
    # a block's links and practice stories; the opening page has neither, so it shows none of it
    with gr.Column(visible=first["index"] is not None, elem_id="tour-block-extras") as ui.extras:
        labels.make(gr.Markdown, {"value": "tour_stem_heading"})
        with gr.Row():
            ui.stems = [gr.Button(f"→ {name}" if name else "", size="sm", visible=bool(name),
                                  elem_id=f"tour-stem-{i}") for i, name in enumerate(first["stems"])]
        ui.cases = labels.make(gr.Radio, {"label": "tour_cases"}, choices=first["cases"], elem_id="tour-cases")
        ui.case = gr.Markdown(elem_id="tour-case")
    ui.ask = labels.make(gr.Button, {"value": "tour_ask"}, variant="primary", elem_id="tour-ask")
    return ui


def outputs(ui: SimpleNamespace) -> list:
    return [ui.index, ui.mosaic, ui.page, *ui.stems, ui.cases, ui.case, ui.pick, ui.extras]


def updates(view: dict) -> tuple:
    """A ``show`` result as values for ``outputs``."""
    import gradio as gr
    stems = [gr.update(value=f"→ {n}", visible=True) if n else gr.update(visible=False) for n in view["stems"]]
    return (view["index"], view["mosaic"], view["page"], *stems, gr.update(choices=view["cases"], value=None), "",
            gr.update(value=view["block"]), gr.update(visible=view["index"] is not None))


def wire(ui: SimpleNamespace, knowledge, lang) -> None:
    private = {"api_visibility": "private"}
    out = outputs(ui)
    ui.prev.click(lambda i, l: updates(show(knowledge, step(knowledge, i, -1), l)), [ui.index, lang], out, **private)
    ui.next.click(lambda i, l: updates(show(knowledge, step(knowledge, i, 1), l)), [ui.index, lang], out, **private)
    ui.pick.input(lambda n, l: updates(goto_name(knowledge, n, l)), [ui.pick, lang], out, **private)
    for slot, button in enumerate(ui.stems):
        button.click(lambda i, l, s=slot: updates(goto_stem(knowledge, i, s, l)), [ui.index, lang], out, **private)
    ui.cases.input(lambda n, l: case_detail(knowledge, n, l), [ui.cases, lang], [ui.case], **private)
