"""The "Overleg voorbereiden" tab: purpose and situation in, a prep sheet (Markdown and printable
HTML) out. Also the /prep API endpoint."""
from __future__ import annotations

from types import SimpleNamespace

from ...present import markdown as render
from ...util.atomic import atomic_write_text
from ...errors import CoachError
from ...knowledge.mozaiek import BLOCK_NAMES
from ...strings import ui_text
from ..common import Labels, export_dir, lang_code, need_coach, user_error

NAME_TO_KEY = {name: key for key, name in BLOCK_NAMES.items()}


def run_prep(holder, purpose: str, situation: str, focus: list[str] | None, lang: str = "nl",
             chosen_by: str = "user") -> tuple[str, list[str]]:
    """The prep sheet as Markdown, and the paths of its Markdown and HTML files (``chosen_by``: see
    ``prep.prepare_meeting``)."""
    import gradio as gr
    from ...coach import prep as prep_mod
    lang = lang_code(lang)
    coach = need_coach(holder, lang)
    keys = [NAME_TO_KEY.get(f, f) for f in (focus or [])]
    try:
        sheet = prep_mod.prepare_meeting(coach, purpose, situation, keys, lang, chosen_by=chosen_by)
    except CoachError as err:
        raise user_error(str(err), ui_text("prep_error_title", lang)) from None
    md = render.prep_markdown(sheet)
    folder = export_dir()
    md_path, html_path = folder / "overleg-voorbereiding.md", folder / "overleg-voorbereiding.html"
    atomic_write_text(md_path, md)
    atomic_write_text(html_path, render.prep_html(sheet))
    return md, [str(md_path), str(html_path)]


def build(knowledge, labels: Labels) -> SimpleNamespace:
    import gradio as gr
    ui = SimpleNamespace()
    labels.make(gr.Markdown, {"value": "prep_intro"})
    ui.purpose = labels.make(gr.Textbox, {"label": "prep_purpose"}, elem_id="prep-purpose", max_length=2000)
    ui.situation = labels.make(gr.Textbox, {"label": "prep_situation"}, lines=4, elem_id="prep-situation",
                               max_length=4000)
    ui.focus = labels.make(gr.CheckboxGroup, {"label": "prep_focus"}, choices=[b.name for b in knowledge.blocks],
                           elem_id="prep-focus")
    ui.go = labels.make(gr.Button, {"value": "prep_go"}, variant="primary", elem_id="prep-go")
    ui.sheet = gr.Markdown(elem_id="prep-sheet")
    ui.files = labels.make(gr.File, {"label": "prep_files"}, file_count="multiple", elem_id="prep-files",
                           visible=False)  # shown with the sheet: an empty file box only gets in the way
    return ui


def wire(ui: SimpleNamespace, holder, lang) -> None:
    """The button is also the /prep endpoint: (purpose, situation, focus names[, lang]) → (Markdown, files)."""
    import gradio as gr

    def prep(purpose, situation, focus, lang="nl"):
        return run_prep(holder, purpose, situation, focus, lang)

    # plain values for the API; the file box is shown in a second step
    ui.go.click(prep, [ui.purpose, ui.situation, ui.focus, lang], [ui.sheet, ui.files], api_name="prep").success(
        lambda files: gr.update(visible=bool(files)), [ui.files], [ui.files], api_visibility="private")
