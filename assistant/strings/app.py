"""Every label, placeholder, button, tab title, heading and message of the Gradio app, by name.
The app starts in Dutch; the language switch relabels every component from this table."""
from __future__ import annotations

APP_TEXTS: dict[str, dict[str, str]] = {
    "lang_label": {"nl": "Taal / language", "en": "Taal / language"},
    "intro": {
        "nl": "**Mozaïekcoach** helpt je bij het werken in een organisatienetwerk. Beschrijf in je eigen woorden "
              "wat er speelt.",
        "en": "**Mozaïekcoach** helps you work in an organisation network. Describe your situation in your own "
              "words.",
    },
    "intro_more": {
        "nl": ("Het Netwerkmozaïek uit het Platform31-magazine *Meer bereiken met organisatienetwerken* geeft "
               "zeven bouwstenen om samen over te praten: Opgave, Waarde, Samen doen, Verankering, Deelname, "
               "Binding en Organisatie. De coach antwoordt met de woorden van het magazine, noemt de bouwsteen die "
               "erbij hoort, geeft verdiepende vragen voor je overleg en een verhaal uit de praktijk. Alles draait "
               "op deze computer; er gaat niets naar buiten."),
        "en": ("The Netwerkmozaïek from the Platform31 magazine *Meer bereiken met organisatienetwerken* offers "
               "seven building blocks to talk about. The coach answers with the magazine's own (Dutch) words, "
               "names the building block, gives deepening questions for your meeting and a story from practice. "
               "Everything runs on this computer; nothing is sent elsewhere."),
    },
    "source": {"nl": ("Bron: Platform31, *Meer bereiken met organisatienetwerken* (Den Haag, 2023). "
                      "Overnemen mag, mits de bron wordt vermeld."),
               "en": ("Source: Platform31, *Meer bereiken met organisatienetwerken* (The Hague, 2023). "
                      "You may reuse it if you name the source.")},
    "about": {"nl": "Over deze coach", "en": "About this coach"},
    "check_llm": {"nl": "Controleer taalmodel", "en": "Check the language model"},
    "mode_offline": {"nl": "Modus: zonder taalmodel (offline).", "en": "Mode: without a language model (offline)."},
    "mode_llm": {"nl": "Modus: {llm} (klik op de knop om de verbinding te controleren).",
                 "en": "Mode: {llm} (click the button to check the connection)."},
    "mode_checked": {"nl": "Modus: {llm} — {message}", "en": "Mode: {llm} — {message}"},
    "mode_unchecked": {"nl": "Modus: {llm} (nog niet gecontroleerd).", "en": "Mode: {llm} (not checked yet)."},
    "status_building": {"nl": "⏳ De zoekindex wordt gebouwd{pct}; daarna leert de coach nog even. "
                              "Stel je vraag gerust al: die wordt beantwoord zodra de coach klaar is.",
                        "en": "⏳ The search index is being built{pct}; then the coach still learns for a moment. "
                              "Ask your question now if you like: it is answered as soon as the coach is ready."},
    "status_training": {"nl": "⏳ De zoekindex is klaar; de coach traint nu zijn modellen (ongeveer een minuut). "
                              "Je vraag wordt daarna meteen beantwoord.",
                        "en": "⏳ The search index is ready; the coach is now training its models (about a minute). "
                              "Your question is answered right after."},
    "wait_answer": {"nl": "⏳ Ik ben zo klaar: {what}. Je vraag staat genoteerd en wordt beantwoord zodra ik "
                          "klaar ben.",
                    "en": "⏳ I'm almost ready: {what}. Your question is noted and will be answered as soon as I "
                          "am ready."},
    "wait_indexing": {"nl": "de zoekindex wordt gebouwd{pct}", "en": "the search index is being built{pct}"},
    "wait_training": {"nl": "de modellen worden getraind", "en": "the models are being trained"},
    "status_error": {"nl": "⚠️ {message}", "en": "⚠️ The search index could not be built: {message}"},
    "wait_title": {"nl": "Even geduld", "en": "One moment"},
    "error_title": {"nl": "Fout", "en": "Error"},
    # own documents: the "Eigen documenten" tab and the coach's toggle
    "tab_docs": {"nl": "Documenten", "en": "Documents"},
    "docs_intro": {
        "nl": ("Voeg teksten van je eigen netwerk toe, zoals het convenant, het jaarplan of verslagen. De coach "
               "zoekt er dan ook in en noemt ze in de bronnen altijd als **Eigen document**, nooit als het "
               "magazine. Bouwsteen, vragen en praktijkverhaal blijven uit het magazine komen. PDF (met tekst), "
               "Word (.docx), Markdown (.md) of tekst (.txt), tot 50 MB per bestand. De bestanden blijven op "
               "deze computer."),
        "en": ("Add your network's own texts, such as the covenant, the annual plan or minutes. The coach then "
               "searches them too and always lists them as **Own document** in the sources, never as the "
               "magazine. Building block, questions and story still come from the magazine. PDF (with text), "
               "Word (.docx), Markdown (.md) or text (.txt), up to 50 MB per file. The files stay on this "
               "computer."),
    },
    "docs_upload": {"nl": "Bestanden", "en": "Files"},
    "docs_title": {"nl": "Titel in de bronvermelding (optioneel, bij één bestand)",
                   "en": "Title in the sources (optional, for one file)"},
    "docs_add": {"nl": "Voeg toe", "en": "Add"},
    "docs_table": {"nl": "Je documenten", "en": "Your documents"},
    "docs_pick": {"nl": "Document om te verwijderen", "en": "Document to remove"},
    "docs_remove": {"nl": "Verwijder", "en": "Remove"},
    "docs_col_title": {"nl": "Titel", "en": "Title"},
    "docs_col_file": {"nl": "Bestand", "en": "File"},
    "docs_col_size": {"nl": "Grootte", "en": "Size"},
    "docs_col_date": {"nl": "Toegevoegd", "en": "Added"},
    "docs_col_passages": {"nl": "Passages", "en": "Passages"},
    "docs_added": {"nl": "Toegevoegd: {title} ({passages} passages, {seconds} s).",
                   "en": "Added: {title} ({passages} passages, {seconds} s)."},
    "docs_already": {"nl": "Staat er al in: {title}; niets toegevoegd.", "en": "Already there: {title}; nothing added."},
    "docs_removed": {"nl": "Verwijderd: {title}. Het bestand, de passages en de vectoren zijn weg.",
                     "en": "Removed: {title}. The file, its passages and vectors are gone."},
    "docs_none_chosen": {"nl": "Kies eerst een document om te verwijderen.", "en": "Choose a document to remove first."},
    "docs_no_files": {"nl": "Kies eerst een of meer bestanden.", "en": "Choose one or more files first."},
    "docs_unavailable": {"nl": "Eigen documenten kunnen alleen met zoeken op betekenis (een embeddingmodel).",
                         "en": "Own documents need search by meaning (an embedding model)."},
    "docs_error_title": {"nl": "Dit document kan ik niet toevoegen", "en": "I cannot add this document"},
    "docs_toggle": {"nl": "Ook eigen documenten doorzoeken", "en": "Also search own documents"},
    # own documents: limits against document bombs (issue 20, item 18)
    "docs_limit_unpacked": {
        "nl": ("‘{name}’ pakt uit tot {unpacked} MB aan tekstopmaak; de grens is {limit} MB. Zoveel kan de coach "
               "niet veilig lezen (het lijkt een zogenoemde zipbom). Er is niets toegevoegd. Splits het document of "
               "sla het opnieuw op als .docx of PDF."),
        "en": ("‘{name}’ unpacks to {unpacked} MB of text markup; the limit is {limit} MB. The coach cannot read that "
               "much safely (it looks like a so-called zip bomb). Nothing was added. Split the document or save it "
               "again as .docx or PDF.")},
    "docs_limit_pages": {
        "nl": ("‘{name}’ heeft {pages} pagina's; de grens is {limit}. Er is niets toegevoegd. Voeg alleen de delen "
               "toe die de coach moet kennen, of splits het document."),
        "en": ("‘{name}’ has {pages} pages; the limit is {limit}. Nothing was added. Add only the parts the coach "
               "needs to know, or split the document.")},
    "docs_limit_passages": {
        "nl": ("‘{name}’ bevat meer tekst dan {limit} passages (ongeveer {words} woorden); zoveel neemt de coach "
               "niet in één document op. Er is niets toegevoegd. Splits het document of voeg alleen de delen toe "
               "die de coach moet kennen."),
        "en": ("‘{name}’ holds more text than {limit} passages (about {words} words); the coach does not take in "
               "that much from one document. Nothing was added. Split the document or add only the parts the "
               "coach needs to know.")},
    "docs_pdf_bomb": {
        "nl": ("‘{name}’ bevat een onderdeel dat uitpakt tot meer dan {limit} MB (een zogenoemde "
               "compressiebom); zoveel kan de coach niet veilig lezen. Er is niets toegevoegd. Sla het document "
               "opnieuw op als PDF (bijvoorbeeld via ‘Afdrukken als PDF’) en probeer het nog eens."),
        "en": ("‘{name}’ contains a part that unpacks to more than {limit} MB (a so-called compression bomb); the "
               "coach cannot read that much safely. Nothing was added. Save the document again as PDF (for "
               "example with ‘Print to PDF’) and try again.")},
    "docs_pdf_nested": {
        "nl": ("‘{name}’ is zo diep genest of zo ingewikkeld opgebouwd dat ik de tekst niet veilig kan lezen. Er is "
               "niets toegevoegd. Sla het document opnieuw op als PDF (bijvoorbeeld via ‘Afdrukken als PDF’) en "
               "probeer het nog eens."),
        "en": ("‘{name}’ is nested so deeply or built so intricately that I cannot read its text safely. Nothing "
               "was added. Save the document again as PDF (for example with ‘Print to PDF’) and try again.")},
    # tabs
    "tab_coach": {"nl": "Coach", "en": "Coach"},
    "tab_prep": {"nl": "Voorbereiden", "en": "Prepare"},
    "tab_tour": {"nl": "Kennismaken", "en": "Get to know the blocks"},
    "tab_scan": {"nl": "Leerkring", "en": "Learning circle"},
    # coach tab
    "mosaic_label": {"nl": "Netwerkmozaïek: de zeven bouwstenen", "en": "Netwerkmozaïek: the seven building blocks"},
    "tile_lit": {"nl": "past bij je vraag", "en": "fits your question"},
    "no_block": {"nl": "Geen bouwsteen gekozen: de coach zoekt zelf de best passende.",
                 "en": "No building block chosen: the coach finds the best fit itself."},
    "focus": {"nl": "Focus: **{name}** — {tagline}. Klik nog eens om de keuze weg te halen.",
              "en": "Focus: **{name}** — {tagline}. Click again to clear the choice."},
    "struggle": {"nl": "**Ik worstel met…**", "en": "**I'm struggling with…**"},
    "chat_label": {"nl": "Gesprek", "en": "Conversation"},
    "chat_placeholder": {"nl": "Stel een vraag of beschrijf wat er speelt in je netwerk.",
                         "en": "Ask a question or describe what is going on in your network."},
    "question_label": {"nl": "Je vraag", "en": "Your question"},
    "question_placeholder": {"nl": "Bijvoorbeeld: partners haken af omdat het ze niets oplevert…",
                             "en": "E.g.: partners drop out because it brings them nothing…"},
    "send": {"nl": "Vraag", "en": "Ask"},
    "which_label": {"nl": "Waar zit het voor jou? Kies de bouwsteen",
                    "en": "Which one is it for you? Choose the building block"},
    "deepening_label": {"nl": "Hulp bij een vraag uit het antwoord: hoe bespreek je hem in je netwerk?",
                        "en": "Help with a question from the answer: how do you discuss it in your network?"},
    "deep_choice": {"nl": "Vraag {n}", "en": "Question {n}"},
    "stem_label": {"nl": "Bekijk je situatie vanuit een andere bouwsteen",
                   "en": "Look at your situation from another building block"},
    "to_block": {"nl": "Bekijk dit vanuit de bouwsteen {name}", "en": "Look at this from the building block {name}"},
    "examples_label": {"nl": "Voorbeeldvragen — {who}", "en": "Example questions — {who}"},
    "export": {"nl": "Bewaar gesprek (Markdown)", "en": "Save conversation (Markdown)"},
    "clear": {"nl": "Wis gesprek", "en": "Clear conversation"},
    "download": {"nl": "Download", "en": "Download"},
    "empty_question": {"nl": "Typ eerst een vraag of beschrijf wat er speelt.", "en": "Type a question first."},
    "nothing_to_save": {"nl": "Er is nog geen gesprek om te bewaren.", "en": "There is no conversation to save yet."},
    "sources_title": {"nl": "Bronnen ({n})", "en": "Sources ({n})"},
    "follow_up": {"nl": "Hoe bespreek ik deze vraag in mijn netwerk: “{question}”",
                  "en": "How do I discuss this question in my network: “{question}”"},
    "answer_ready": {"nl": "Het antwoord is klaar.", "en": "The answer is ready."},
    "answer_busy": {"nl": "De coach schrijft een antwoord…", "en": "The coach is writing an answer…"},
    # prep tab
    "prep_intro": {"nl": ("Bereid een netwerkoverleg voor: vertel waar het overleg voor is en wat er speelt. "
                          "Je krijgt focusbouwstenen, vragen voor de agenda, afstemmingspunten en een "
                          "praktijkverhaal om te delen."),
                   "en": ("Prepare a network meeting: say what the meeting is for and what is going on. "
                          "You get focus building blocks, questions for the agenda, points to align on and a "
                          "story from practice to share.")},
    "prep_purpose": {"nl": "Waar is het overleg voor?", "en": "What is the meeting for?"},
    "prep_situation": {"nl": "Wat speelt er?", "en": "What is going on?"},
    "prep_focus": {"nl": "Focus op bouwstenen (optioneel)", "en": "Focus on building blocks (optional)"},
    "prep_go": {"nl": "Maak voorbereiding", "en": "Prepare"},
    "prep_files": {"nl": "Download (Markdown en printbare HTML)", "en": "Download (Markdown and printable HTML)"},
    "prep_error_title": {"nl": "Nog niet genoeg om mee te werken", "en": "Not enough to work with yet"},
    # tour tab
    "tour_start": {"nl": "Start", "en": "Start"},  # the same in both languages: it is also a choice's value
    "tour_start_title": {"nl": "Het Netwerkmozaïek in het kort", "en": "The Netwerkmozaïek in brief"},
    "tour_start_what": {
        "nl": "Het Netwerkmozaïek komt uit het Platform31-magazine *Meer bereiken met organisatienetwerken*. Het "
              "is een denk- en gespreksmodel voor mensen die samen met andere organisaties aan een maatschappelijk "
              "vraagstuk werken: gemeenten, corporaties, zorg- en welzijnsorganisaties. Het geeft geen recept, "
              "maar helpt je samen de goede vragen te stellen. Het bestaat uit zeven bouwstenen.",
        "en": "The Netwerkmozaïek comes from the Platform31 magazine *Meer bereiken met organisatienetwerken*. It is "
              "a model for thinking and talking, for people who work with other organisations on a social issue: "
              "municipalities, housing corporations, care and welfare organisations. It gives no recipe; it helps "
              "you ask the right questions together. It has seven building blocks."},
    "tour_start_blocks": {"nl": "De zeven bouwstenen", "en": "The seven building blocks"},
    "tour_start_links": {
        "nl": "De bouwstenen hangen samen: bij elke bouwsteen staat onder **Stem af met** met welke drie andere "
              "je hem samen bekijkt. Wie aan de ene werkt, raakt de andere.",
        "en": "The blocks hang together: under **Align with** each block names the three others to look at with "
              "it. Working on one touches the others."},
    "tour_start_begin_title": {"nl": "Waar begin je?", "en": "Where to begin?"},
    "tour_start_begin": {
        "nl": "Begin bij de bouwsteen die nu schuurt in je netwerk: kies hem hierboven, of beschrijf op de tab "
              "**Coach** wat er speelt. Met een groep begin je met de **Mozaïekscan** (tab **Leerkring**): ieder "
              "scoort de zeven bouwstenen, en waar de scores laag zijn of ver uiteen lopen, begint het gesprek.",
        "en": "Start with the block that chafes in your network: pick it above, or describe what is going on in "
              "the **Coach** tab. With a group, start with the **Mozaïek scan** (tab **Learning circle**): everyone "
              "scores the seven blocks, and the conversation starts where scores are low or far apart."},
    "tour_start_questions_title": {"nl": "Vragen en verdiepende vragen", "en": "Questions and deepening questions"},
    "tour_start_questions": {
        "nl": "Elke bouwsteen heeft **Vragen**: een paar kernvragen om het gesprek mee te openen. De **Verdiepende "
              "vragen** gaan verder: scherper en concreter, voor als het gesprek eenmaal loopt of als je vastzit.",
        "en": "Every block has **Questions**: a few key questions to open the conversation with. The **Deepening "
              "questions** go further: sharper and more concrete, for when the conversation is under way or "
              "stuck."},
    "tour_read_story": {"nl": "Lees het hele verhaal", "en": "Read the whole story (Dutch)"},
    "tour_question_start": {"nl": "Wat is het Netwerkmozaïek, en waar begin ik?",
                            "en": "What is the Netwerkmozaïek, and where do I start?"},
    "tour_prev": {"nl": "← Vorige", "en": "← Previous"},
    "tour_next": {"nl": "Volgende →", "en": "Next →"},
    "tour_pick": {"nl": "Bouwsteen", "en": "Building block"},
    "tour_stem_heading": {"nl": "**Stem af met** — ga naar:", "en": "**Align with** — go to:"},
    "tour_cases": {"nl": "Praktijkverhalen bij deze bouwsteen", "en": "Stories from practice for this block"},
    "tour_ask": {"nl": "Vraag de coach over deze bouwsteen", "en": "Ask the coach about this block"},
    "tour_question": {"nl": "Wat betekent de bouwsteen {name} voor ons netwerk?",
                      "en": "What does the building block {name} mean for our network?"},
    "tour_brief": {"nl": "Korte toelichting", "en": "In brief (Dutch, as printed)"},
    "tour_questions": {"nl": "Vragen", "en": "Key questions"},
    "tour_deepening": {"nl": "Verdiepende vragen", "en": "Deepening questions"},
    "tour_stem": {"nl": "Stem af met", "en": "Align with"},
    "tour_practice": {"nl": "Uit de praktijk", "en": "From practice"},
    "case_blocks": {"nl": "Bouwstenen", "en": "Building blocks"},
    # scan tab
    "scan_intro": {"nl": ("Laat deelnemers (of de groep samen) elke bouwsteen een score geven van 1 (zwak) tot "
                          "5 (sterk). Voeg ze één voor één toe, of lees een eerder bewaarde scan (CSV) in."),
                   "en": ("Let participants (or the group together) score each building block from 1 (weak) to "
                          "5 (strong). Add them one by one, or read in a scan saved earlier (CSV).")},
    "scan_name": {"nl": "Naam (mag leeg blijven)", "en": "Name (may stay empty)"},
    "scan_remarks": {"nl": "Opmerkingen per bouwsteen (optioneel)", "en": "Remarks per building block (optional)"},
    "scan_remark": {"nl": "Opmerking bij {name}", "en": "Remark on {name}"},
    "scan_add": {"nl": "Voeg deelnemer toe", "en": "Add participant"},
    "scan_go": {"nl": "Maak de scan", "en": "Make the scan"},
    "scan_reset": {"nl": "Begin opnieuw", "en": "Start again"},
    "scan_table": {"nl": "Ingevoerde scores", "en": "Scores entered"},
    "scan_participant": {"nl": "Deelnemer", "en": "Participant"},
    "scan_import": {"nl": "Scan inlezen (CSV)", "en": "Read in a scan (CSV)"},
    "scan_chart": {"nl": "Mozaïekscan", "en": "Mozaïek scan"},
    "scan_files": {"nl": "Download (rapport, grafiek, scores)", "en": "Download (report, chart, scores)"},
    "scan_empty": {"nl": "Nog geen scores ingevoerd.", "en": "No scores entered yet."},
    "scan_added": {"nl": "Toegevoegd: {name}", "en": "Added: {name}"},
    "scan_read": {"nl": "{n} deelnemer(s) ingelezen.", "en": "{n} participant(s) read in."},
    "scan_check_title": {"nl": "Controleer de scores", "en": "Check the scores"},
    "scan_file_title": {"nl": "Dit bestand kan ik niet gebruiken", "en": "I cannot use this file"},
    "scan_manual": {"nl": "### Zonder telefoons: scores zelf invoeren",
                    "en": "### Without phones: enter the scores yourself"},
}

# ------------------------------------------------------ web server guard (issue 20, items 13, 19, 20)
GUARD_TEXTS: dict[str, dict[str, str]] = {
    "guard_origin": {"nl": "Dit verzoek komt van een andere website en is geweigerd.",
                     "en": "This request comes from another website and was refused."},
    "guard_login_needed": {"nl": "Log eerst in.", "en": "Please log in first."},
    "guard_too_many_streams": {"nl": "Er staan te veel verbindingen open. Sluit een paar tabbladen en probeer het zo opnieuw.",
                               "en": "Too many connections are open. Close a few tabs and try again shortly."},
    "guard_login_too_big": {"nl": "Dit inlogformulier is te groot.", "en": "This login form is too large."},
    "guard_login_wait": {"nl": "Te veel foute pogingen. Wacht {seconds} seconden en probeer het dan opnieuw.",
                         "en": "Too many wrong attempts. Wait {seconds} seconds and then try again."},
    "guard_login_hint": {"nl": "Na vijf foute pogingen moet je even wachten voordat je opnieuw kunt inloggen.",
                         "en": "After five wrong attempts you have to wait a little before you can log in again."},
    "guard_short_password": {"nl": ("de app zou luisteren op {host}, dus ook voor andere computers bereikbaar zijn, "
                                    "maar het wachtwoord van {users} is korter dan {length} tekens. Kies in COACH_AUTH "
                                    "een langer wachtwoord of gebruik COACH_HOST=127.0.0.1."),
                             "en": ("the app would listen on {host}, so other computers could reach it, but the "
                                    "password of {users} is shorter than {length} characters. Choose a longer "
                                    "password in COACH_AUTH or use COACH_HOST=127.0.0.1.")},
}


UI_EXAMPLES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "nl": (("Netwerkmanager", ("Twee partners komen niet meer naar het overleg en zeggen dat het ze niets oplevert.",
                               "Wie neemt bij ons de besluiten? Onze overlegstructuur is een rommeltje.",
                               "De wethouder vraagt wat ons netwerk oplevert. Hoe maak ik dat zichtbaar?")),
           ("Nieuwkomer", ("Wat is het Netwerkmozaïek?", "Wat bedoelen ze met verankering?",
                           "Wat is het verschil tussen werken in een organisatie en in een netwerk?")),
           ("Trainer (leerkring)", ("Welke vragen helpen een groep om over vertrouwen en spelregels te praten?",
                                    "Welk praktijkverhaal laat zien wat er gebeurt als samen doen niet meer lukt?",
                                    "Hoe kan een netwerk laten zien dat het bestaansrecht heeft?"))),
    "en": (("Network manager", ("Two partners no longer come to our meetings and say it brings them nothing.",
                                "Who takes the decisions in our network? Our meeting structure is a mess.",
                                "The alderman asks what our network achieves. How do I make that visible?")),
           ("Newcomer", ("What is the Netwerkmozaïek?", "What do they mean by verankering?",
                         "What is the difference between working in an organisation and in a network?")),
           ("Trainer (learning circle)", ("Which questions help a group talk about trust and ground rules?",
                                          "Which story shows what happens when working together stops working?",
                                          "How can a network show that it has a right to exist?"))),
}
