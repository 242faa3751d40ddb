"""The "Leerkring — Mozaïekscan" tab: participants score the seven blocks; the scan shows a radar
chart, the weakest and most disputed blocks, and exports. Also the /scan API endpoint."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from ...leerkring import scan as scan_mod
from ...errors import CoachError
from ...knowledge.mozaiek import BLOCK_KEYS
from ...strings import ui_text
from ..common import Labels, export_dir, lang_code, release_memory, user_error

MAX_CSV_BYTES = 1_000_000


def table(knowledge, scan: scan_mod.Scan, lang: str = "nl") -> dict:
    """The entered scores as a table value (headers and rows)."""
    labels = scan.labels()
    return {"headers": [ui_text("scan_participant", lang_code(lang))] + [b.name for b in knowledge.blocks],
            "data": [[labels[i], *p.scores] for i, p in enumerate(scan.participants)]}


def results(knowledge, scan: scan_mod.Scan, lang: str = "nl") -> tuple[str | None, str, list[str] | None]:
    """(chart PNG path, report Markdown, exported files) for the scan."""
    if len(scan) == 0:
        return None, ui_text("scan_empty", lang_code(lang)), None
    summary = scan_mod.summary(scan)
    focus = scan_mod.focus_material(knowledge, summary)
    paths = scan_mod.export_scan(knowledge, scan, export_dir())
    release_memory()
    return (str(paths["png"]), scan_mod.report_markdown(knowledge, scan, summary, focus),
            [str(paths["md"]), str(paths["png"]), str(paths["csv"])])


def add_participant(knowledge, scan: scan_mod.Scan, name: str, scores, remarks, lang: str = "nl"):
    """(scan with one more participant, its table); a clear error when a score is wrong."""
    import gradio as gr
    lang = lang_code(lang)
    try:
        participant = scan_mod.validate_participant(name, dict(zip(BLOCK_KEYS, scores)),
                                                    dict(zip(BLOCK_KEYS, remarks)))
        scan = scan_mod.add_participant(scan, participant)
    except CoachError as err:
        raise user_error(str(err), ui_text("scan_check_title", lang)) from None
    gr.Info(ui_text("scan_added", lang, name=scan.labels()[-1]))
    return scan, table(knowledge, scan, lang)


def import_csv(knowledge, scan: scan_mod.Scan, file: str | None, lang: str = "nl"):
    """(the scan read from a CSV file, its table); the current scan when no file was given."""
    import gradio as gr
    lang = lang_code(lang)
    if not file:
        return scan, table(knowledge, scan, lang)
    try:
        path = Path(file)
        data = path.read_bytes() if path.stat().st_size <= MAX_CSV_BYTES else b"x" * (MAX_CSV_BYTES + 1)
        new = scan_mod.from_csv(data)
    except CoachError as err:
        raise user_error(str(err), ui_text("scan_file_title", lang)) from None
    gr.Info(ui_text("scan_read", lang, n=len(new)))
    return new, table(knowledge, new, lang)


def api_scan(knowledge, csv_text: str):
    """The /scan endpoint: CSV text in, (chart, report, files) out."""
    import gradio as gr
    try:
        scan = scan_mod.from_csv((csv_text or "").encode("utf-8"))
    except CoachError as err:
        raise user_error(str(err)) from None
    return results(knowledge, scan)


# ----------------------------------------------------------------------------------- layout

def build(knowledge, labels: Labels) -> SimpleNamespace:
    import gradio as gr
    ui = SimpleNamespace()
    ui.scan = gr.State(scan_mod.Scan())
    labels.make(gr.Markdown, {"value": "scan_intro"})
    ui.name = labels.make(gr.Textbox, {"label": "scan_name"}, elem_id="scan-name", max_length=60)
    with gr.Row():
        ui.sliders = [gr.Slider(1, 5, value=3, step=1, label=b.name, min_width=220, elem_id=f"score-{b.key}")
                      for b in knowledge.blocks]
    with labels.make(gr.Accordion, {"label": "scan_remarks"}, open=False):
        ui.remarks = [labels.make(gr.Textbox, {"label": lambda lang, n=b.name: ui_text("scan_remark", lang, name=n)},
                                  max_length=500, elem_id=f"remark-{b.key}") for b in knowledge.blocks]
    with gr.Row():
        ui.add = labels.make(gr.Button, {"value": "scan_add"}, elem_id="scan-add")
        ui.go = labels.make(gr.Button, {"value": "scan_go"}, variant="primary", elem_id="scan-go")
        ui.reset = labels.make(gr.Button, {"value": "scan_reset"}, size="sm", elem_id="scan-reset")
    ui.table = labels.make(gr.Dataframe, {"label": "scan_table"}, value=table(knowledge, scan_mod.Scan()),
                           interactive=False, elem_id="scan-table")
    ui.csv = labels.make(gr.File, {"label": "scan_import"}, file_types=[".csv"], elem_id="scan-import")
    # chart and files appear with the scan: empty boxes only get in the way
    ui.chart = labels.make(gr.Image, {"label": "scan_chart"}, type="filepath", elem_id="scan-chart", visible=False)
    ui.report = gr.Markdown(elem_id="scan-report")
    ui.files = labels.make(gr.File, {"label": "scan_files"}, file_count="multiple", elem_id="scan-files",
                           visible=False)
    # API-only input, for scripts (gradio_client); hidden in the page.
    with gr.Row(visible=False):
        ui.api_csv = gr.Textbox(label="CSV")
        ui.api_go = gr.Button("scan")
    return ui


def shown(chart: str | None, report: str, files: list[str] | None) -> tuple:
    """``results`` as updates: chart and files visible only when there are any."""
    import gradio as gr
    return (gr.update(value=chart, visible=chart is not None), report,
            gr.update(value=files, visible=files is not None))


def wire(ui: SimpleNamespace, knowledge, lang) -> None:
    private = {"api_visibility": "private"}
    n = len(knowledge.blocks)

    def on_add(scan, name, lang_value, *values):
        scan, rows = add_participant(knowledge, scan, name, values[:n], values[n:], lang_value)
        return scan, rows, "", *([""] * n)

    ui.add.click(on_add, [ui.scan, ui.name, lang, *ui.sliders, *ui.remarks], [ui.scan, ui.table, ui.name, *ui.remarks],
                 **private)
    ui.go.click(lambda scan, l: shown(*results(knowledge, scan, l)), [ui.scan, lang], [ui.chart, ui.report, ui.files],
                **private)
    ui.csv.upload(lambda scan, f, l: import_csv(knowledge, scan, f, l), [ui.scan, ui.csv, lang], [ui.scan, ui.table],
                  **private)
    ui.reset.click(lambda l: (scan_mod.Scan(), table(knowledge, scan_mod.Scan(), l), *shown(None, "", None)), [lang],
                   [ui.scan, ui.table, ui.chart, ui.report, ui.files], **private)

    def scan(csv_text):
        return api_scan(knowledge, csv_text)  # plain values for scripts; nothing on the page changes

    ui.api_go.click(scan, [ui.api_csv], [ui.chart, ui.report, ui.files], api_name="scan")
