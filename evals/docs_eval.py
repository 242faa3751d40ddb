"""Own documents in the evaluation (issue 12), two checks on the best configuration:

(a) the magazine's figures with three unrelated own documents added, next to the same coach
    without them (dev and test questions; the held-out set is not used here);
(b) questions only a fixture document answers: is the passage with the answer among the first
    three sources (hit@1, hit@3), and is it cited as an own document (origin ok)?

The documents are written here, in code: a covenant of a fictional neighbourhood network (PDF,
three pages) for (b), and a coffee machine manual (DOCX), a tennis club's house rules (PDF) and
a waste collection guide (Markdown) for (a). The questions of (b) were written together with the
covenant, so they measure whether the plumbing works (loading, search, merge, citation), not how
well the coach understands documents it has never seen.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from assistant.config import load_settings
from assistant.docs.library import DocLibrary, DocStore

from .docfiles import make_docx, make_pdf

COVENANT_TITLE = "Samenwerkingsovereenkomst Wijknetwerk Lindenhof"
COVENANT = [
    ["Samenwerkingsovereenkomst Wijknetwerk Lindenhof, gemeente Ravensbeek.",
     "De partners van Wijknetwerk Lindenhof zijn woningcorporatie Thuisbaas, de GGD Ravensbeek, welzijnsorganisatie "
     "De Schakel en basisschool De Klimop. Zij ondertekenden deze overeenkomst op 14 maart 2024.",
     "Deze overeenkomst gaat in op 1 april 2024 en loopt tot en met 31 december 2027. Daarna besluiten de partners "
     "samen of zij de samenwerking voortzetten.",
     "De stuurgroep van Wijknetwerk Lindenhof komt vier keer per jaar bijeen, steeds in het buurthuis aan de "
     "Lindenlaan. Elke partner vaardigt een bestuurder af."],
    ["Het werkbudget van Wijknetwerk Lindenhof bedraagt 85.000 euro per jaar. Elke partner draagt 12.500 euro per "
     "jaar bij; de gemeente Ravensbeek vult het budget aan.",
     "De kwartiermaker van het wijknetwerk is Femke de Wit. Zij werkt 24 uur per week voor het netwerk en is in "
     "dienst van De Schakel.",
     "Een partner die uit het netwerk wil stappen, meldt dat schriftelijk aan de stuurgroep. Er geldt een "
     "opzegtermijn van zes maanden."],
    ["Bij een geschil tussen partners proberen zij eerst samen tot een oplossing te komen. Lukt dat niet binnen "
     "acht weken, dan schakelt de stuurgroep een onafhankelijke mediator in.",
     "Persoonsgegevens van bewoners delen de partners alleen volgens het privacyprotocol dat als bijlage bij deze "
     "overeenkomst hoort, en nooit zonder toestemming van de bewoner.",
     "In het najaar van 2026 evalueert Bureau Spoorzicht de samenwerking. De uitkomst bespreken de partners in de "
     "eerste stuurgroep van 2027."],
]
# (question, a phrase of the passage that answers it)
DOC_QUESTIONS = [
    ("Tot wanneer loopt de samenwerkingsovereenkomst van Wijknetwerk Lindenhof?", "31 december 2027"),
    ("Hoeveel budget heeft Wijknetwerk Lindenhof per jaar?", "85.000 euro"),
    ("Wie is de kwartiermaker van Wijknetwerk Lindenhof?", "Femke de Wit"),
    ("Hoe vaak komt de stuurgroep van Wijknetwerk Lindenhof bijeen?", "vier keer per jaar"),
    ("Welke opzegtermijn geldt als een partner uit het wijknetwerk wil stappen?", "zes maanden"),
    ("Wat gebeurt er bij een geschil tussen de partners van Wijknetwerk Lindenhof?", "mediator"),
    ("Wanneer wordt de samenwerking in Lindenhof geëvalueerd, en door wie?", "Bureau Spoorzicht"),
    ("Welke partners ondertekenden de overeenkomst van Wijknetwerk Lindenhof?", "Thuisbaas"),
    ("Hoeveel uur per week werkt onze kwartiermaker?", "24 uur per week"),
    ("Welke afspraken hebben we in Lindenhof over het delen van persoonsgegevens van bewoners?", "privacyprotocol"),
    ("How much does each partner of Wijknetwerk Lindenhof contribute per year?", "12.500 euro"),
]

COFFEE = [("Koffiemachine Barista 300: handleiding", [
    "Vul het waterreservoir dagelijks met vers koud water tot de streep MAX. Gebruik geen bruisend water.",
    "Zet de machine aan met de knop links. Na ongeveer negentig seconden brandt het lampje groen en is de "
    "machine op temperatuur.",
    "Kies met de draaiknop espresso, lungo of cappuccino. Voor cappuccino plaatst u het melkreservoir rechts.",
    ]), ("Onderhoud", [
    "Spoel de melkleiding na elk gebruik door met de stoomknop. Reinig het zetblok één keer per week onder de "
    "kraan en laat het aan de lucht drogen.",
    "Ontkalk de machine elke drie maanden, of eerder als het lampje oranje knippert. Gebruik alleen het "
    "ontkalkingsmiddel van de fabrikant.",
    "Storing E4 betekent dat de bonencontainer leeg is. Storing E7 betekent dat de lade met koffiedik vol is.",
    ])]
TENNIS = [
    ["Huishoudelijk reglement Tennisvereniging De Volley.",
     "Leden reserveren een baan via de app, voor maximaal één uur bij enkelspel en anderhalf uur bij dubbelspel.",
     "Op de gravelbanen speelt u alleen op tennisschoenen met een gravelprofiel. Sleep de baan na afloop."],
    ["De contributie wordt in januari geïnd. Wie na 1 juli lid wordt, betaalt de helft.",
     "Elk lid draait twee keer per seizoen een bardienst in het clubhuis. Wie niet kan, regelt zelf een vervanger.",
     "Bij onweer verlaten alle spelers direct de banen. De baancommissaris beslist of er weer gespeeld kan worden."],
]
WASTE = """# Afvalwijzer gemeente Ravensbeek

## Groente-, fruit- en tuinafval
De groene container wordt om de week op dinsdag geleegd. Zet de container voor half acht aan de straat,
met de handgreep naar de weg. Etensresten, schillen, bladeren en gras mogen erin; zand en as niet.

## Papier en karton
De blauwe container wordt elke vier weken op vrijdag geleegd. Vouw dozen plat. Pizzadozen met etensresten
horen bij het restafval.

## Grofvuil
Grofvuil haalt de gemeente op afspraak op, maximaal vier keer per jaar en twee kubieke meter per keer.
Een afspraak maakt u via het klantcontactcentrum. Koelkasten en wasmachines neemt de winkel bij aankoop
van een nieuw apparaat terug.

## Milieustraat
De milieustraat aan de Industrieweg is open van dinsdag tot en met zaterdag. Neem uw pas mee; zonder pas
betaalt u per bezoek.
"""


def _write(folder: Path) -> tuple[Path, list[Path]]:
    """The covenant (PDF) and the three unrelated documents, written into ``folder``."""
    covenant = folder / "Samenwerkingsovereenkomst Wijknetwerk Lindenhof.pdf"
    covenant.write_bytes(make_pdf(COVENANT))
    tennis = folder / "Huishoudelijk reglement De Volley.pdf"
    tennis.write_bytes(make_pdf(TENNIS))
    waste = folder / "Afvalwijzer Ravensbeek.md"
    waste.write_text(WASTE, encoding="utf-8")
    coffee = make_docx(folder / "Handleiding koffiemachine.docx", COFFEE)
    return covenant, [coffee, tennis, waste]


def with_documents(coach, files: list[Path], folder: Path, embedder):
    """``coach`` searching ``files`` as own documents (a store of its own in ``folder``)."""
    settings = load_settings({"COACH_DATA_DIR": str(folder)})
    store = DocStore(settings)
    store.add(files, embedder)
    coach.docs = DocLibrary(store, embedder, coach.retriever)
    return store


def document_scores(coach, questions=DOC_QUESTIONS) -> dict:
    """(b): in scope, hit@1, hit@3 and origin ok over the document-only questions."""
    n = len(questions)
    counts = {"in scope": 0, "hit@1": 0, "hit@3": 0, "origin ok": 0, "block": 0}
    misses = []
    for question, phrase in questions:
        a = coach.ask(question)
        gold = [i for i, p in enumerate(a.sources) if p.chunk.origin == "document" and phrase in p.chunk.text]
        counts["in scope"] += a.in_scope
        counts["hit@1"] += bool(gold) and gold[0] < 1
        counts["hit@3"] += bool(gold) and gold[0] < 3
        gold_ids = {a.sources[i].chunk.id for i in gold}
        cited = [c for c in a.citations if c.chunk_id in gold_ids]
        ok = bool(cited) and all(c.origin == "document" for c in cited) and \
            all(f"[{c.n}] Eigen document: " in a.markdown for c in cited)
        counts["origin ok"] += ok
        counts["block"] += a.block is not None
        if not (bool(gold) and gold[0] < 3 and ok):
            misses.append(question)
    return {**{k: v / n for k, v in counts.items()}, "n": n, "misses": misses}


def run(coach, questions, score, table, embedder, log) -> str:
    """Both checks for ``coach`` (the best configuration); ``score``/``table`` from ``evals.__main__``.
    Returns the Markdown tables."""
    by_id = {c.id: c for c in coach.retriever.chunks}
    coach.retriever.clear_cache()  # both runs embed every question anew: their timings compare
    rows_without = {split: s.row() for split, s in score(questions, coach, by_id).items()}
    with tempfile.TemporaryDirectory(prefix="mzk-docs-eval-") as tmp:
        folder = Path(tmp)
        covenant, unrelated = _write(folder)
        log("  eigen documenten: drie ongerelateerde documenten toevoegen …")
        store = with_documents(coach, unrelated, folder / "data", embedder)
        for doc in store.open().chunks:
            by_id[doc.id] = doc
        coach.retriever.clear_cache()
        rows_with = {split: s.row() for split, s in score(questions, coach, by_id).items()}
        log("  eigen documenten: het convenant erbij …")
        store.add([covenant], embedder)
        docs = document_scores(coach)
        coach.docs = None
    out = []
    for split in ("test", "dev"):
        if split in rows_without:
            n = sum(q["split"] == split for q in questions)
            out.append(f"### own documents (a): magazine figures, {split} split ({n} questions)\n")
            out.append(table([("best, no own documents", rows_without[split]),
                              ("best + 3 unrelated own documents", rows_with[split])]))
            out.append("")
    out.append(f"### own documents (b): questions only a document answers ({docs['n']} questions, "
               "covenant PDF beside the three unrelated documents)\n")
    out.append("| in scope | hit@1 | hit@3 | origin ok | block from the magazine |")
    out.append("|---:|---:|---:|---:|---:|")
    out.append(f"| {docs['in scope']:.2f} | {docs['hit@1']:.2f} | {docs['hit@3']:.2f} | {docs['origin ok']:.2f} | "
               f"{docs['block']:.2f} |")
    if docs["misses"]:
        out.append("\nMissed (not in the top 3, or not cited as an own document): " +
                   "; ".join(docs["misses"]))
    out.append("")
    return "\n".join(out)
