"""Mozaïekcoach in the browser: ``python app.py`` (or ``make run``).

This file only wires Gradio components to ``assistant/``; the logic lives there.
Per-user data (conversation, chosen block, scan) is kept in ``gr.State``, never in globals.
"""

import html
import os
import sys
import tempfile
import uuid
from pathlib import Path

from assistant.config import load_settings
from assistant.errors import CoachError
from assistant.logsetup import quiet_third_party

# A learning circle of about 20 people asks at the same time; an offline answer takes tens of
# milliseconds, so 8 workers keep the queue short without oversubscribing 2 cores.
CONCURRENCY = 8
QUEUE_SIZE = 200
MAX_TURNS = 20

INTRO_NL = (
    "**Mozaïekcoach** helpt je bij het werken in een organisatienetwerk. Het Netwerkmozaïek uit het "
    "Platform31-magazine *Meer bereiken met organisatienetwerken* geeft zeven bouwstenen om samen over "
    "te praten: Opgave, Waarde, Samen doen, Verankering, Deelname, Binding en Organisatie. Beschrijf in "
    "je eigen woorden wat er speelt; de coach antwoordt met de woorden van het magazine, noemt de "
    "bouwsteen die erbij hoort, geeft verdiepende vragen voor je overleg en een verhaal uit de praktijk. "
    "Alles draait op deze computer; er gaat niets naar buiten.")
INTRO_EN = (
    "**Mozaïekcoach** helps you work in an organisation network. The Netwerkmozaïek from the Platform31 "
    "magazine *Meer bereiken met organisatienetwerken* offers seven building blocks to talk about. Describe "
    "your situation; the coach answers with the magazine's own (Dutch) words, names the building block, "
    "gives deepening questions for your meeting and a story from practice. Everything runs on this computer.")
SOURCE_MD = ("Bron: Platform31, *Meer bereiken met organisatienetwerken* (Den Haag, 2023). "
             "Overnemen mag, mits de bron wordt vermeld.")
EXAMPLES = {
    "Netwerkmanager": ["Twee partners komen niet meer naar het overleg en zeggen dat het ze niets oplevert.",
                       "Wie neemt bij ons de besluiten? Onze overlegstructuur is een rommeltje.",
                       "De wethouder vraagt wat ons netwerk oplevert. Hoe maak ik dat zichtbaar?"],
    "Nieuwkomer": ["Wat is het Netwerkmozaïek?", "Wat bedoelen ze met verankering?",
                   "Wat is het verschil tussen werken in een organisatie en in een netwerk?"],
    "Trainer (leerkring)": ["Welke vragen helpen een groep om over vertrouwen en spelregels te praten?",
                            "Welk praktijkverhaal laat zien wat er gebeurt als samen doen niet meer lukt?",
                            "Hoe kan een netwerk laten zien dat het bestaansrecht heeft?"],
}


EXPORT_ROOT = Path(tempfile.gettempdir()) / "mozaiekcoach"
EXPORT_MAX_AGE_S = 3600


def _release_memory() -> None:
    """Give freed native memory back to the system after drawing a chart (glibc keeps it per
    thread otherwise, and a busy learning circle would see the app's memory creep up)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _export_dir() -> Path:
    """A fresh folder for one download; folders older than an hour are removed (they may hold
    participants' names and remarks)."""
    import shutil
    import time
    EXPORT_ROOT.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - EXPORT_MAX_AGE_S
    for old in EXPORT_ROOT.iterdir():
        try:
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass
    path = EXPORT_ROOT / uuid.uuid4().hex
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_app(holder):
    """The Gradio Blocks app around a ``CoachHolder``."""
    import gradio as gr

    from assistant import convlog
    from assistant import prep as prep_mod
    from assistant import scan as scan_mod
    from assistant.atomic import atomic_write_bytes, atomic_write_text
    from assistant.coach import Answer, Turn
    from assistant.mozaiek import BLOCK_KEYS, BLOCK_NAMES
    from assistant.present import (MOZAIEK_CSS, case_markdown, conversation_markdown, mozaiek_html,
                                   sources_markdown, tour_markdown)

    knowledge = holder.knowledge
    name_to_key = {v: k for k, v in BLOCK_NAMES.items()}

    def need_coach():
        coach = holder.coach
        if coach is None:
            state, message = holder.status()
            raise gr.Error(message, title="Even geduld" if state == "building" else "Fout")
        return coach

    # ------------------------------------------------------------------ coach tab handlers
    def respond(message, chat, turns, block, lang, request: gr.Request):
        """Stream the answer, then its sources in a collapsible box under it."""
        message = (message or "").strip()
        if not message:
            gr.Warning("Typ eerst een vraag of beschrijf wat er speelt." if lang != "en"
                       else "Type a question first.")
            yield chat, turns, gr.skip(), gr.skip(), gr.skip()
            return
        need_coach()
        answerer = holder.answerer
        history = [Turn(t["question"], tuple(t["blocks"][:1])) for t in turns]
        chat = list(chat) + [{"role": "user", "content": html.escape(message)},
                             {"role": "assistant", "content": ""}]
        shown, answer = "", None
        for item in answerer.stream(message, block=block or None, lang=lang or None, history=history):
            if isinstance(item, Answer):
                answer = item
            else:  # a checked sentence from the language model
                shown += item
                chat[-1] = {"role": "assistant", "content": shown}
                yield chat, turns, gr.skip(), gr.skip(), ""
        data = answer.to_dict()
        if holder.settings.log_dir:
            convlog.write(holder.settings.log_dir, getattr(request, "session_hash", ""), data)
        if not shown:  # offline: the answer is ready at once; show it in a few steps
            words = data["answer"].split(" ")
            step = max(8, len(words) // 12)
            for i in range(0, len(words), step):
                chat[-1] = {"role": "assistant", "content": " ".join(words[: i + step])}
                yield chat, turns, gr.skip(), gr.skip(), ""
        chat[-1] = {"role": "assistant", "content": data["answer"]}
        if data["citations"]:
            title = (f"Bronnen ({len(data['citations'])})" if answer.lang != "en"
                     else f"Sources ({len(data['citations'])})")
            chat.append({"role": "assistant", "content": sources_markdown(data),
                         "metadata": {"title": title, "status": "done"}})
        turns = (list(turns) + [{"question": message, "answer": data["answer"],
                                 "blocks": [b["key"] for b in data["blocks"]]}])[-MAX_TURNS:]
        scores = {b["key"]: b["score"] for b in data["blocks"][:2]}
        deep = [d["text"] for d in data["deepening_questions"]]
        yield (chat, turns, mozaiek_html(knowledge, scores, answer.lang),
               gr.update(choices=deep, value=None, visible=bool(deep)), "")

    def pick_block(block, current):
        key = None if block == current else block
        label = (f"Focus: **{BLOCK_NAMES[key]}** — {knowledge.block(key).tagline}. Klik nog eens om de keuze weg te halen."
                 if key else "Geen bouwsteen gekozen: de coach zoekt zelf de best passende.")
        return key, mozaiek_html(knowledge, {key: 1.0} if key else None), label

    def export_chat(turns, lang):
        if not turns:
            gr.Warning("Er is nog geen gesprek om te bewaren." if lang != "en" else "Nothing to save yet.")
            return gr.update(value=None, visible=False)
        path = _export_dir() / "mozaiekcoach-gesprek.md"
        atomic_write_text(path, conversation_markdown(turns, lang))
        return gr.update(value=str(path), visible=True)

    def clear_chat():
        return [], [], None, mozaiek_html(knowledge), gr.update(choices=[], value=None, visible=False), \
            "Geen bouwsteen gekozen: de coach zoekt zelf de best passende."

    def follow_up(question, block):
        if not question:
            return gr.skip()
        return f"Hoe kunnen we deze vraag in ons netwerk bespreken: {question}"

    # ------------------------------------------------------------------ prep / scan / api handlers
    def run_prep(purpose, situation, focus, lang="nl"):
        coach = need_coach()
        keys = [name_to_key.get(f, f) for f in (focus or [])]
        try:
            sheet = prep_mod.prepare_meeting(coach, purpose, situation, keys, lang or "nl")
        except CoachError as err:
            raise gr.Error(str(err), title="Nog niet genoeg om mee te werken") from None
        md = prep_mod.prep_markdown(sheet, coach)
        folder = _export_dir()
        md_path, html_path = folder / "overleg-voorbereiding.md", folder / "overleg-voorbereiding.html"
        atomic_write_text(md_path, md)
        atomic_write_text(html_path, prep_mod.prep_html(sheet, coach))
        return md, [str(md_path), str(html_path)]

    def scan_outputs(scan):
        if len(scan) == 0:
            return None, "Nog geen scores ingevoerd.", None
        summ = scan_mod.summary(scan)
        focus = scan_mod.focus_material(knowledge, summ)
        paths = scan_mod.export_scan(knowledge, scan, _export_dir())
        _release_memory()
        return (str(paths["png"]), scan_mod.report_markdown(knowledge, scan, summ, focus),
                [str(paths["md"]), str(paths["png"]), str(paths["csv"])])

    def scan_table(scan):
        labels = scan.labels()
        return [[labels[i], *p.scores] for i, p in enumerate(scan.participants)]

    def add_participant(scan, name, *values):
        scores = dict(zip(BLOCK_KEYS, values[:7]))
        remarks = dict(zip(BLOCK_KEYS, values[7:]))
        try:
            p = scan_mod.validate_participant(name, scores, remarks)
            scan = scan_mod.add_participant(scan, p)
        except CoachError as err:
            raise gr.Error(str(err), title="Controleer de scores") from None
        gr.Info(f"Toegevoegd: {scan.labels()[-1]}")
        return scan, scan_table(scan), "", *([""] * 7)

    def make_scan(scan):
        return scan_outputs(scan)

    def import_csv(scan, file):
        if not file:
            return scan, scan_table(scan)
        try:
            data = Path(file).read_bytes() if Path(file).stat().st_size <= 1_000_000 else b"x" * 1_000_001
            new = scan_mod.from_csv(data)
        except CoachError as err:
            raise gr.Error(str(err), title="Dit bestand kan ik niet gebruiken") from None
        gr.Info(f"{len(new)} deelnemer(s) ingelezen.")
        return new, scan_table(new)

    def reset_scan():
        empty = scan_mod.Scan()
        return empty, [], None, "", None

    def api_scan(csv_text):
        try:
            scan = scan_mod.from_csv((csv_text or "").encode("utf-8"))
        except CoachError as err:
            raise gr.Error(str(err)) from None
        return scan_outputs(scan)

    # ------------------------------------------------------------------ tour handlers
    def tour_show(index, lang="nl"):
        index = index % len(knowledge.blocks)
        block = knowledge.blocks[index]
        cases = [c for c in knowledge.cases if block.key in c.blocks]
        stems = [BLOCK_NAMES.get(s.to, s.to) for s in block.stem_af_met]
        return (index, mozaiek_html(knowledge, {block.key: 1.0}), tour_markdown(block, cases, lang),
                *[gr.update(value=f"→ {n}", visible=True) for n in stems[:3]],
                gr.update(choices=[c.network for c in cases], value=None), "",
                gr.update(value=block.name))

    def tour_goto_stem(index, slot):
        block = knowledge.blocks[index % len(knowledge.blocks)]
        target = block.stem_af_met[slot].to
        return tour_show(BLOCK_KEYS.index(target))

    def tour_case(network):
        case = next((c for c in knowledge.cases if c.network == network), None)
        if case is None:
            return ""
        coach = holder.coach
        passage = ""
        if coach is not None:
            chunks = [c for c in coach.retriever.chunks if c.case == case.key]
            passage = chunks[0].text.split("\n\n")[0] if chunks else ""
        return case_markdown(case, passage)

    def tour_to_coach(index):
        block = knowledge.blocks[index % len(knowledge.blocks)]
        key, mosaic, label = pick_block(block.key, None)
        return (gr.Tabs(selected="coach"), key, mosaic, label,
                f"Wat betekent de bouwsteen {block.name} voor ons netwerk?")

    # ------------------------------------------------------------------ layout
    with gr.Blocks(title="Mozaïekcoach", analytics_enabled=False) as demo:
        turns = gr.State([])
        chosen = gr.State(None)
        scan_state = gr.State(scan_mod.Scan())
        tour_index = gr.State(0)

        gr.Markdown("# Mozaïekcoach")
        with gr.Row():
            intro = gr.Markdown(INTRO_NL)
            lang = gr.Radio([("Nederlands", "nl"), ("English", "en")], value="nl", label="Taal / language",
                            scale=0, min_width=180)
        status = gr.Markdown(visible=False, elem_id="status")
        with gr.Accordion("Over deze coach", open=False):
            mode_md = gr.Markdown(elem_id="mode")
            check_llm = gr.Button("Controleer taalmodel", size="sm", visible=holder.settings.llm != "none")
            gr.Markdown(SOURCE_MD)

        with gr.Tabs() as tabs:
            with gr.Tab("Coach", id="coach"):
                mosaic = gr.HTML(mozaiek_html(knowledge), elem_id="mozaiek")
                chosen_label = gr.Markdown("Geen bouwsteen gekozen: de coach zoekt zelf de best passende.",
                                           elem_id="chosen-label")
                struggle = gr.Markdown("**Ik worstel met…**")
                with gr.Row():
                    chips = [gr.Button(b.name, size="sm", elem_id=f"chip-{b.key}") for b in knowledge.blocks]
                chatbot = gr.Chatbot(label="Gesprek", height=520, elem_id="chat",
                                     placeholder="Stel een vraag of beschrijf wat er speelt in je netwerk.")
                with gr.Row():
                    box = gr.Textbox(placeholder="Bijvoorbeeld: partners haken af omdat het ze niets oplevert…",
                                     show_label=False, scale=5, elem_id="question", max_length=4000)
                    send = gr.Button("Vraag", variant="primary", scale=1, elem_id="send")
                deep = gr.Radio([], label="Verdiepende vragen — klik om erop door te vragen", visible=False,
                                elem_id="deepening")
                for who, qs in EXAMPLES.items():
                    gr.Examples(qs, inputs=[box], label=f"Voorbeeldvragen — {who}")
                with gr.Row():
                    export_btn = gr.Button("Bewaar gesprek (Markdown)", size="sm", elem_id="export")
                    clear_btn = gr.Button("Wis gesprek", size="sm", elem_id="clear")
                export_file = gr.File(label="Download", visible=False, elem_id="export-file")

            with gr.Tab("Overleg voorbereiden", id="prep"):
                gr.Markdown("Bereid een netwerkoverleg voor: vertel waar het overleg voor is en wat er speelt. "
                            "Je krijgt focusbouwstenen, vragen voor de agenda, afstemmingspunten en een "
                            "praktijkverhaal om te delen.")
                purpose = gr.Textbox(label="Waar is het overleg voor?", elem_id="prep-purpose", max_length=2000)
                situation = gr.Textbox(label="Wat speelt er?", lines=4, elem_id="prep-situation", max_length=4000)
                focus = gr.CheckboxGroup([b.name for b in knowledge.blocks],
                                         label="Focus op bouwstenen (optioneel)", elem_id="prep-focus")
                prep_btn = gr.Button("Maak voorbereiding", variant="primary", elem_id="prep-go")
                prep_md = gr.Markdown(elem_id="prep-sheet")
                prep_files = gr.File(label="Download (Markdown en printbare HTML)", file_count="multiple",
                                     elem_id="prep-files")

            with gr.Tab("Kennismaken", id="tour"):
                tour_mosaic = gr.HTML(mozaiek_html(knowledge))
                with gr.Row():
                    prev_btn = gr.Button("← Vorige", size="sm", elem_id="tour-prev")
                    tour_pick = gr.Radio([b.name for b in knowledge.blocks], value=knowledge.blocks[0].name,
                                         show_label=False, elem_id="tour-pick", scale=4)
                    next_btn = gr.Button("Volgende →", size="sm", elem_id="tour-next")
                tour_md = gr.Markdown(tour_markdown(knowledge.blocks[0], [
                    c for c in knowledge.cases if knowledge.blocks[0].key in c.blocks]), elem_id="tour-page")
                gr.Markdown("**Stem af met** — ga naar:")
                with gr.Row():
                    stem_btns = [gr.Button(f"→ {BLOCK_NAMES[s.to]}", size="sm", elem_id=f"tour-stem-{i}")
                                 for i, s in enumerate(knowledge.blocks[0].stem_af_met)]
                tour_cases = gr.Radio([c.network for c in knowledge.cases if knowledge.blocks[0].key in c.blocks],
                                      label="Praktijkverhalen bij deze bouwsteen", elem_id="tour-cases")
                tour_case_md = gr.Markdown(elem_id="tour-case")
                ask_about = gr.Button("Vraag de coach over deze bouwsteen", variant="primary", elem_id="tour-ask")

            with gr.Tab("Leerkring — Mozaïekscan", id="scan"):
                gr.Markdown("Laat deelnemers (of de groep samen) elke bouwsteen een score geven van 1 (zwak) tot "
                            "5 (sterk). Voeg ze één voor één toe, of lees een eerder bewaarde scan (CSV) in.")
                scan_name = gr.Textbox(label="Naam (mag leeg blijven)", elem_id="scan-name", max_length=60)
                with gr.Row():
                    sliders = [gr.Slider(1, 5, value=3, step=1, label=b.name, elem_id=f"score-{b.key}")
                               for b in knowledge.blocks]
                with gr.Accordion("Opmerkingen per bouwsteen (optioneel)", open=False):
                    remarks = [gr.Textbox(label=b.name, max_length=500) for b in knowledge.blocks]
                with gr.Row():
                    add_btn = gr.Button("Voeg deelnemer toe", elem_id="scan-add")
                    scan_btn = gr.Button("Maak de scan", variant="primary", elem_id="scan-go")
                    reset_btn = gr.Button("Begin opnieuw", size="sm", elem_id="scan-reset")
                table = gr.Dataframe(headers=["Deelnemer"] + [b.name for b in knowledge.blocks],
                                     value=[], interactive=False, label="Ingevoerde scores", elem_id="scan-table")
                csv_in = gr.File(label="Scan inlezen (CSV)", file_types=[".csv"], elem_id="scan-import")
                chart = gr.Image(label="Mozaïekscan", type="filepath", elem_id="scan-chart")
                scan_md = gr.Markdown(elem_id="scan-report")
                scan_files = gr.File(label="Download (rapport, grafiek, scores)", file_count="multiple",
                                     elem_id="scan-files")

        gr.Markdown(SOURCE_MD)

        # API-only inputs, for scripts (gradio_client); hidden in the page.
        with gr.Row(visible=False):
            api_csv = gr.Textbox()
            api_scan_btn = gr.Button()

        # ------------------------------------------------------------------ events
        private = {"api_visibility": "private"}
        send.click(respond, [box, chatbot, turns, chosen, lang], [chatbot, turns, mosaic, deep, box], **private)
        box.submit(respond, [box, chatbot, turns, chosen, lang], [chatbot, turns, mosaic, deep, box], **private)
        deep.input(follow_up, [deep, chosen], [box], **private).then(
            respond, [box, chatbot, turns, chosen, lang], [chatbot, turns, mosaic, deep, box], **private)
        for chip, b in zip(chips, knowledge.blocks):
            chip.click(lambda cur, k=b.key: pick_block(k, cur), [chosen], [chosen, mosaic, chosen_label], **private)
        export_btn.click(export_chat, [turns, lang], [export_file], **private)
        clear_btn.click(clear_chat, None, [chatbot, turns, chosen, mosaic, deep, chosen_label], **private)
        def switch_language(code):
            en = code == "en"
            return (INTRO_EN if en else INTRO_NL,
                    gr.update(label="Conversation" if en else "Gesprek"),
                    gr.update(placeholder="E.g.: partners drop out because it brings them nothing…" if en
                              else "Bijvoorbeeld: partners haken af omdat het ze niets oplevert…"),
                    gr.update(value="Ask" if en else "Vraag"),
                    gr.update(label="Deepening questions — click to ask about one" if en
                              else "Verdiepende vragen — klik om erop door te vragen"),
                    gr.update(value="Save conversation (Markdown)" if en else "Bewaar gesprek (Markdown)"),
                    gr.update(value="Clear conversation" if en else "Wis gesprek"),
                    "**I'm struggling with…**" if en else "**Ik worstel met…**")

        lang.change(switch_language, [lang], [intro, chatbot, box, send, deep, export_btn, clear_btn, struggle],
                    **private)

        prep_btn.click(run_prep, [purpose, situation, focus, lang], [prep_md, prep_files], api_name="prep")

        tour_outputs = [tour_index, tour_mosaic, tour_md, *stem_btns, tour_cases, tour_case_md, tour_pick]
        prev_btn.click(lambda i, l: tour_show(i - 1, l), [tour_index, lang], tour_outputs, **private)
        next_btn.click(lambda i, l: tour_show(i + 1, l), [tour_index, lang], tour_outputs, **private)
        tour_pick.input(lambda n, l: tour_show(BLOCK_KEYS.index(name_to_key[n]), l), [tour_pick, lang],
                        tour_outputs, **private)
        for slot, btn in enumerate(stem_btns):
            btn.click(lambda i, s=slot: tour_goto_stem(i, s), [tour_index], tour_outputs, **private)
        tour_cases.input(tour_case, [tour_cases], [tour_case_md], **private)
        ask_about.click(tour_to_coach, [tour_index], [tabs, chosen, mosaic, chosen_label, box], **private)

        add_btn.click(add_participant, [scan_state, scan_name, *sliders, *remarks],
                      [scan_state, table, scan_name, *remarks], **private)
        scan_btn.click(make_scan, [scan_state], [chart, scan_md, scan_files], **private)
        csv_in.upload(import_csv, [scan_state, csv_in], [scan_state, table], **private)
        reset_btn.click(reset_scan, None, [scan_state, table, chart, scan_md, scan_files], **private)
        api_scan_btn.click(api_scan, [api_csv], [chart, scan_md, scan_files], api_name="scan")

        @gr.api(api_name="ask")
        def ask(question: str, block: str = "", lang: str = "") -> dict:
            """Ask the coach; returns the answer as in `python -m assistant ask --json`."""
            need_coach()
            return holder.answerer.ask(question, block=block or None, lang=lang or None).to_dict()

        def show_status():
            state, message = holder.status()
            return gr.update(value=f"⏳ {message}" if state != "ready" else "", visible=state != "ready")

        demo.load(show_status, None, [status], **private)
        demo.load(lambda: "Modus: zonder taalmodel (offline)." if holder.settings.llm == "none"
                  else f"Modus: {holder.settings.llm} (klik op de knop om de verbinding te controleren).",
                  None, [mode_md], **private)
        check_llm.click(holder.llm_status, None, [mode_md], **private)
        timer = gr.Timer(3.0)
        timer.tick(show_status, None, [status], **private)

    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return demo


def main() -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    quiet_third_party()
    try:
        settings = load_settings()
        if not settings.is_loopback and not settings.auth:
            print(f"Fout: de app zou luisteren op {settings.host}, dus ook voor andere computers bereikbaar zijn, "
                  "maar er is geen login ingesteld. Zet COACH_AUTH=gebruiker:wachtwoord of gebruik "
                  "COACH_HOST=127.0.0.1.", file=sys.stderr)
            return 2
        from assistant.service import CoachHolder
        holder = CoachHolder(settings)
        holder.start(log=lambda m: print(m, file=sys.stderr, flush=True))
        holder.report_llm(log=lambda m: print(m, file=sys.stderr, flush=True))
    except CoachError as err:
        print(f"Fout: {err}", file=sys.stderr)
        return err.exit_code
    from assistant.present import MOZAIEK_CSS
    demo = build_app(holder)
    print(f"Mozaïekcoach draait op http://{settings.host}:{settings.port}", file=sys.stderr, flush=True)
    demo.launch(server_name=settings.host, server_port=settings.port,
                auth=list(settings.auth) or None, css=MOZAIEK_CSS, ssr_mode=False, quiet=True,
                max_threads=40, show_error=False, footer_links=[], allowed_paths=[str(EXPORT_ROOT)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
