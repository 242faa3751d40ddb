"""Every user-facing text, by name, in Dutch and English: the one home for what people read.

The coach's answer parts, the notes around the optional language model and the app's labels all
come from here. Tests render these exactly; change a text here, not in the code that uses it.
"""
from __future__ import annotations

TEMPLATES: dict[str, dict[str, str]] = {
    "kern": {"nl": "**Kern**", "en": "**In short** (quoted from the Dutch magazine)"},
    "bouwsteen": {"nl": "**Bouwsteen: {name}** — *{tagline}*", "en": "**Building block: {name}** — *{tagline}*"},
    "uncertain": {"nl": "Dit raakt aan **{first}** en **{second}** — waar zit het voor jou? "
                        "Kies hierboven een bouwsteen, of vertel iets meer. (*{second}: {tagline}*)",
                  "en": "This touches on **{first}** and **{second}** — which one is it for you? "
                        "Choose a building block above, or tell me a bit more. (*{second}: {tagline}*)"},
    "chosen_block": {"nl": "Je koos zelf voor deze bouwsteen.", "en": "You chose this building block yourself."},
    "verdiepende_vragen": {"nl": "**Verdiepende vragen** — om mee te nemen naar je overleg",
                           "en": "**Deepening questions** — to take into your meeting (in Dutch, as printed)"},
    "stem_af_met": {"nl": "**Stem af met**", "en": "**Align with** (the linked building blocks)"},
    "praktijk": {"nl": "**Uit de praktijk** — {who} ({where}):", "en": "**From practice** — {who} ({where}):"},
    "bronnen": {"nl": "**Bronnen**", "en": "**Sources**"},
    # the coach's answer in whole passages (compose.py, render.coach_markdown)
    "rec_0": {"nl": "Wat je beschrijft, gaat over de bouwsteen **{name}**: {tagline}.",
              "en": "What you describe is about the building block **{name}** (*{tagline}*)."},
    "rec_1": {"nl": "Hier helpt de bouwsteen **{name}** uit het Netwerkmozaïek: {tagline}.",
              "en": "The building block **{name}** of the Netwerkmozaïek helps here (*{tagline}*)."},
    "rec_2": {"nl": "Dit raakt aan de bouwsteen **{name}** — {tagline}.",
              "en": "This touches on the building block **{name}** (*{tagline}*)."},
    # follow-ups (followup.py): what this answer does with the one before
    "rec_shorter": {"nl": "Korter gezegd, uit de bouwsteen **{name}**:",
                    "en": "In short, from the building block **{name}**:"},
    "rec_how": {"nl": "Zo pakten anderen het aan (bouwsteen **{name}**), en met deze vragen ga je zelf verder:",
                "en": "This is how others went about it (building block **{name}**), and these questions take "
                      "you further:"},
    "rec_how_none": {"nl": "Concreet begin je bij de vragen van de bouwsteen **{name}**; het magazine zegt "
                           "erover:",
                     "en": "In practice, start with the questions of the building block **{name}**; the magazine "
                           "says:"},
    "rec_example": {"nl": "Nog een voorbeeld uit de praktijk bij de bouwsteen **{name}**:",
                    "en": "Another example from practice for the building block **{name}**:"},
    "rec_example_none": {"nl": "Een ander praktijkverhaal dat hierbij past, heb ik niet. Bij de bouwsteen "
                               "**{name}** zegt het magazine:",
                         "en": "I have no other practice story that fits. For the building block **{name}** "
                               "the magazine says:"},
    "rec_say_to": {"nl": "Voor je gesprek met {who}: leg deze vragen uit de bouwsteen **{name}** samen op tafel.",
                   "en": "For your conversation with {who}: put these questions from the building block "
                         "**{name}** on the table together."},
    "rec_other_block": {"nl": "Dezelfde situatie, nu vanuit de bouwsteen **{name}**: {tagline}.",
                        "en": "The same situation, now from the building block **{name}** (*{tagline}*)."},
    "rec_back": {"nl": "Terug naar je eerdere situatie, bij de bouwsteen **{name}**: {tagline}.",
                 "en": "Back to your earlier situation, with the building block **{name}** (*{tagline}*)."},
    "rec_discuss": {"nl": "Om deze vraag in je netwerk te bespreken (bouwsteen **{name}**): leg hem voor, en "
                          "gebruik wat het magazine erover zegt.",
                    "en": "To discuss this question in your network (building block **{name}**): put it to the "
                          "group, and use what the magazine says about it."},
    "no_earlier": {"nl": "Er is geen eerdere situatie in dit gesprek; dit is het antwoord van net.",
                   "en": "There is no earlier situation in this conversation; this is the answer from before."},
    "exact_question": {"nl": "Het Netwerkmozaïek stelt hier precies de vraag: *{question}*",
                       "en": "The Netwerkmozaïek asks exactly this question: *{question}*"},
    "intro_block": {"nl": "In *{section}* staat:", "en": "*{section}* says (in Dutch):"},
    "intro_magazine": {"nl": "Het magazine zegt hierover, in *{section}*:",
                       "en": "The magazine says, in *{section}* (in Dutch):"},
    "intro_case_speaker": {"nl": "**Uit de praktijk — {where}.** {name}, {role} ({network}):",
                           "en": "**From practice — {where}.** {name}, {role} ({network}):"},
    "intro_case_article": {"nl": "**Uit de praktijk — {where}.** Uit het verhaal over {network} "
                                 "(*{section}*), met {people}:",
                           "en": "**From practice — {where}.** From the story of {network} (*{section}*), "
                                 "with {people}:"},
    "intro_document": {"nl": "In je eigen document *{title}*{page} staat:",
                       "en": "Your own document *{title}*{page} says:"},
    "deep_title": {"nl": "**Vragen om te bespreken** (verdiepende vragen bij {name})",
                   "en": "**Questions to discuss** (deepening questions of {name}, in Dutch)"},
    "stem_one": {"nl": "**Stem af met {to}:** {text}", "en": "**Align with {to}:** {text}"},
    "more_title": {"nl": "Meer vragen, afstemming en bronnen", "en": "More questions, links and sources"},
    "more_title_app": {"nl": "Meer vragen en afstemming", "en": "More questions and links"},
    "more_questions": {"nl": "**Meer verdiepende vragen**", "en": "**More deepening questions**"},
    "more_passage": {"nl": "**Meer uit het magazine**", "en": "**More from the magazine**"},
    "more_stem": {"nl": "**Ook afstemmen met**", "en": "**Also align with**"},
    "more_case": {"nl": "**Uit de praktijk**", "en": "**From practice**"},
    "clarify": {"nl": "Ik hoor twee dingen in je vraag. Gaat het vooral om **{first}** — {first_line}? "
                      "Of om **{second}** — {second_line}? Kies hieronder wat het meest speelt; dan ga ik daarop in.",
                "en": "I hear two things in your question. Is it mainly about **{first}** — {first_line}? "
                      "Or about **{second}** — {second_line}? Choose below what matters most and I will go into it."},
    "source_line": {"nl": "[{n}] {section}{extra} — {quote}", "en": "[{n}] {section}{extra} — {quote}"},
    # own documents: never with the magazine's attribution
    "source_line_doc": {"nl": "[{n}] Eigen document: {title}{page} — {quote}",
                        "en": "[{n}] Own document: {title}{page} — {quote}"},
    "doc_page": {"nl": ", p. {page}", "en": ", p. {page}"},
    "doc_source_title": {"nl": "Eigen document: {title}{page}", "en": "Own document: {title}{page}"},
    "out_of_scope": {
        "nl": ("Daar gaat het magazine *Meer bereiken met organisatienetwerken* niet over, dus daar kan ik "
               "je geen betrouwbaar antwoord op geven. Ik help je wel graag met samenwerken in een "
               "organisatienetwerk: de zeven bouwstenen van het Netwerkmozaïek, vragen voor je overleg "
               "en lessen uit de praktijk."),
        "en": ("The magazine *Meer bereiken met organisatienetwerken* does not cover that, so I cannot give "
               "you a reliable answer. I am happy to help with working in an organisation network: the "
               "seven building blocks of the Netwerkmozaïek, questions for your meeting and lessons "
               "from practice."),
    },
    "vague": {
        "nl": ("Waar kan ik je mee helpen? Beschrijf gerust in je eigen woorden wat er speelt in je netwerk, "
               "of stel een vraag over een van de zeven bouwstenen."),
        "en": ("How can I help? Describe in your own words what is going on in your network, or ask about "
               "one of the seven building blocks."),
    },
    "injection": {
        "nl": ("Ik ben Mozaïekcoach en blijf bij het magazine; instructies om dat te veranderen volg ik niet."),
        "en": ("I am Mozaïekcoach and I stay with the magazine; I do not follow instructions to change that."),
    },
    "injection_note": {"nl": "*(Instructies in je bericht heb ik genegeerd; je vraag beantwoord ik wel.)*",
                       "en": "*(I ignored the instructions in your message; here is the answer to your question.)*"},
    "examples_title": {"nl": "**Je kunt bijvoorbeeld vragen:**", "en": "**You could ask, for example:**"},
    "blocks_title": {"nl": "**De zeven bouwstenen:**", "en": "**The seven building blocks:**"},
    "truncated": {"nl": "*(Je bericht was erg lang; ik heb de eerste {limit} tekens gebruikt.)*",
                  "en": "*(Your message was very long; I used the first {limit} characters.)*"},
    "no_passages": {"nl": "Ik vond geen passage in het magazine die hier goed bij past.",
                    "en": "I found no passage in the magazine that fits this well."},
    # around the optional language model
    "kern_llm": {"nl": "**Kort gezegd**", "en": "**In short** (based on the Dutch magazine)"},
    "fallback_note": {
        "nl": "*(De taalmodel-server gaf geen bruikbaar antwoord; dit is het antwoord zonder taalmodel.)*",
        "en": "*(The language model server gave no usable answer; this is the answer without the language model.)*",
    },
    # the meeting prep sheet (Markdown and print view)
    "prep_title": {"nl": "Voorbereiding overleg", "en": "Meeting preparation"},
    "prep_purpose": {"nl": "Doel van het overleg", "en": "Purpose"},
    "prep_situation": {"nl": "Wat er speelt", "en": "What is going on"},
    "prep_focus": {"nl": "Focus", "en": "Focus"},
    "prep_agenda": {"nl": "Vragen voor de agenda", "en": "Questions for the agenda"},
    "prep_stem": {"nl": "Stem af met", "en": "Align with"},
    "prep_case": {"nl": "Om te delen: uit de praktijk", "en": "To share: from practice"},
    "prep_passage": {"nl": "Wat het magazine erover zegt", "en": "What the magazine says"},
    "prep_notes": {"nl": "Aantekeningen", "en": "Notes"},
    "prep_decisions": {"nl": "Besluiten en afspraken", "en": "Decisions and agreements"},
    "prep_what": {"nl": "Wat", "en": "What"},
    "prep_who": {"nl": "Wie", "en": "Who"},
    "prep_when": {"nl": "Wanneer", "en": "When"},
    "prep_sources": {"nl": "Bronnen", "en": "Sources"},
    "prep_why_chosen": {"nl": "je koos deze bouwsteen zelf", "en": "you chose this block"},
    "prep_why_leerkring": {"nl": "uit de leerkring", "en": "from the learning circle"},
    "prep_why_best": {"nl": "past het best bij wat je beschrijft", "en": "fits what you describe best"},
    "prep_why_also": {"nl": "speelt ook mee", "en": "also plays a part"},
    "prep_too_little": {"nl": ("Vertel in een paar woorden waar het overleg over gaat en wat er speelt; "
                               "dan kies ik de vragen die daarbij passen."),
                        "en": ("Tell me in a few words what the meeting is for and what is going on; "
                               "then I choose the questions that fit.")},
}

EXAMPLES: dict[str, tuple[str, ...]] = {
    "nl": ("Twee partners komen niet meer naar het overleg en zeggen dat het ze niets oplevert. Wat nu?",
           "Hoe maken we zichtbaar wat ons netwerk oplevert?",
           "Wat is de bouwsteen Verankering?",
           "Ik bereid een leerkring voor: welke vragen helpen om over vertrouwen te praten?"),
    "en": ("Two partners stopped coming to our meetings. What can I do?",
           "How do we show what our network achieves?",
           "What does the magazine mean by 'verankering'?"),
}


def _lookup(table: dict[str, dict[str, str]], name: str, lang: str, values: dict) -> str:
    """``table[name]`` in ``lang`` (Dutch when there is no such language), filled in."""
    variants = table[name]
    text = variants.get(lang, variants["nl"])
    return text.format(**values) if values else text


# Each block in plain words, for the question the coach asks when two blocks fit (our own wording).
PLAIN_BLOCKS: dict[str, dict[str, str]] = {
    "opgave": {"nl": "samen scherp krijgen waar het netwerk voor is en wat er moet gebeuren",
               "en": "getting clear together what the network is for and what needs to happen"},
    "waarde": {"nl": "laten zien wat het netwerk oplevert, voor de partners en voor bewoners",
               "en": "showing what the network delivers, for the partners and for residents"},
    "samen-doen": {"nl": "echt samen aan de slag gaan en het werk verdelen",
                   "en": "actually getting to work together and sharing the work"},
    "verankering": {"nl": "de plek van het netwerk in zijn omgeving: raad, bestuurders, bewoners",
                    "en": "the network's standing with its surroundings: council, boards, residents"},
    "deelname": {"nl": "wie er meedoet, met welk mandaat, en wat ieder bijdraagt",
                 "en": "who takes part, with what mandate, and what each one contributes"},
    "binding": {"nl": "vertrouwen en de omgang tussen partners, ook als het schuurt",
                "en": "trust and how partners deal with each other, also when it chafes"},
    "organisatie": {"nl": "afspraken, rollen en wie wat beslist",
                    "en": "agreements, roles and who decides what"},
}


def plain_block(key: str, lang: str = "nl") -> str:
    """A block in everyday words (the block's key when there are none)."""
    return PLAIN_BLOCKS.get(key, {}).get(lang if lang == "en" else "nl", key)


def render(template: str, lang: str = "nl", **values) -> str:
    """The named answer text in ``lang``, filled in."""
    return _lookup(TEMPLATES, template, lang, values)


# =============================================================================== the app (UI)
# Every label, placeholder, button, tab title, heading and message of the Gradio app, by name.
# The app starts in Dutch; the language switch relabels every component from this table.

UI_TEXTS: dict[str, dict[str, str]] = {
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
    # live learning circle: the trainer's part of the Leerkring tab
    "lk_intro": {"nl": ("### Live leerkring\nDeelnemers vullen de scan in op hun eigen telefoon. Jij ziet alleen hoeveel "
                        "mensen klaar zijn, tot je het resultaat toont. Zo beïnvloeden scores elkaar niet."),
                 "en": ("### Live learning circle\nParticipants fill in the scan on their own phones. You only see how "
                        "many are done until you show the result, so scores do not influence each other.")},
    "lk_title": {"nl": "Titel van de leerkring", "en": "Title of the learning circle"},
    "lk_title_ph": {"nl": "bijv. Leerkring wijkaanpak, voorjaar", "en": "e.g. Neighbourhood network, spring"},
    "lk_compare_file": {"nl": "Vergelijk met een eerdere scan (CSV, optioneel)",
                        "en": "Compare with an earlier scan (CSV, optional)"},
    "lk_compare_session": {"nl": "… of met een eerdere leerkring (optioneel)",
                           "en": "… or with an earlier learning circle (optional)"},
    "lk_start": {"nl": "Start de leerkring", "en": "Start the learning circle"},
    "lk_reveal": {"nl": "Toon resultaat", "en": "Show result"},
    "lk_close": {"nl": "Sluit de leerkring", "en": "Close the learning circle"},
    "lk_new": {"nl": "Nieuwe leerkring", "en": "New learning circle"},
    "lk_to_prep": {"nl": "Overleg voorbereiden over deze uitkomst", "en": "Prepare a meeting on this result"},
    # the trainer removes one answer (issue 20, item 10)
    "lk_drop_title": {"nl": "Een antwoord weghalen", "en": "Remove an answer"},
    "lk_drop_info": {"nl": "Hoort een antwoord niet in deze leerkring, bijvoorbeeld iemand van buiten de groep of "
                           "een grap? Kies het en haal het weg; de uitslag rekent dan zonder. De lijst toont alleen "
                           "naam en tijd, nooit scores.",
                     "en": "Does an answer not belong in this learning circle, for instance someone from outside "
                           "the group or a joke? Choose it and remove it; the result then leaves it out. The list "
                           "shows only name and time, never scores."},
    "lk_drop_list": {"nl": "Toon de antwoorden", "en": "Show the answers"},
    "lk_drop_pick": {"nl": "Antwoord", "en": "Answer"},
    "lk_drop_button": {"nl": "Haal dit antwoord weg", "en": "Remove this answer"},
    "lk_drop_none": {"nl": "Kies eerst een antwoord in de lijst.", "en": "First choose an answer in the list."},
    "lk_drop_done": {"nl": "Antwoord {number} is weggehaald.", "en": "Answer {number} has been removed."},
    "lk_no_name": {"nl": "zonder naam", "en": "no name"},
    "lk_files": {"nl": "Download (rapport, radar, scores)", "en": "Download (report, radar, scores)"},
    "lk_radar": {"nl": "Radar: gemiddelde en spreiding", "en": "Radar: mean and spread"},
    "lk_dots": {"nl": "Per bouwsteen: hoeveel mensen gaven welke score", "en": "Per block: how many gave which score"},
    "lk_error_title": {"nl": "Dat lukte niet", "en": "That did not work"},
    "lk_join_title": {"nl": "Doe mee met je telefoon", "en": "Join with your phone"},
    "lk_join_scan": {"nl": "Scan de QR-code of open", "en": "Scan the QR code or open"},
    "lk_join_code": {"nl": "Code op het scherm: {code}", "en": "Code on screen: {code}"},  # code="" + a span
    "lk_qr_label": {"nl": "QR-code met de link om mee te doen", "en": "QR code with the link to join"},
    "lk_no_address": {"nl": ("Let op: ik vond geen netwerkadres van deze computer, dus telefoons kunnen deze link "
                             "waarschijnlijk niet openen. Open de app via het netwerkadres van deze computer, of "
                             "start hem met COACH_PUBLIC_URL=http://<adres>:<poort>; zie de README."),
                      "en": ("Note: I found no network address of this computer, so phones probably cannot open this "
                             "link. Open the app via this computer's network address, or start it with "
                             "COACH_PUBLIC_URL=http://<address>:<port>; see the README.")},
    "lk_unreachable": {"nl": ("Let op: de app luistert nu alleen op deze computer, dus telefoons kunnen deze link nog "
                              "niet openen. Start de app voor de zaal met COACH_HOST=0.0.0.0 en een login "
                              "(COACH_AUTH); zie de README."),
                       "en": ("Note: the app now only listens on this computer, so phones cannot open this link yet. "
                              "Start the app for the room with COACH_HOST=0.0.0.0 and a login (COACH_AUTH); see "
                              "the README.")},
    "lk_count": {"nl": "**{n}** {people} ingevuld · leerkring {state}",
                 "en": "**{n}** {people} submitted · learning circle {state}"},
    "lk_people_one": {"nl": "deelnemer heeft", "en": "participant has"},
    "lk_people_many": {"nl": "deelnemers hebben", "en": "participants have"},
    "lk_state_open": {"nl": "open", "en": "open"},
    "lk_state_closed": {"nl": "gesloten", "en": "closed"},
    "lk_hidden": {"nl": "Het resultaat blijft verborgen tot je op ‘Toon resultaat’ klikt (vanaf {n} inzendingen).",
                  "en": "The result stays hidden until you click ‘Show result’ (from {n} submissions)."},
    "lk_fullscreen": {"nl": "⛶ Groot op het scherm (Esc om terug te gaan)",
                      "en": "⛶ Full screen for the projector (Esc to go back)"},
    "lk_shown": {"nl": "Het resultaat staat hieronder. Wie nog invult, telt mee als je opnieuw op ‘Toon resultaat’ "
                       "klikt.",
                 "en": "The result is shown below. Anyone still filling in is counted when you click ‘Show result’ "
                       "again."},
    # the participant's page (/leerkring/<code>)
    "join_page_title": {"nl": "{title} — Leerkring", "en": "{title} — Learning circle"},
    "join_title_plain": {"nl": "Leerkring", "en": "Learning circle"},
    "join_other_lang": {"nl": "Nederlands", "en": "English"},
    "join_session": {"nl": "Leerkring {code}", "en": "Learning circle {code}"},
    "join_intro": {"nl": ("Hoe staat jullie netwerk ervoor? Geef elke bouwsteen een score van 1 (zwak) tot 5 (sterk). "
                          "De trainer ziet alleen het resultaat van de hele groep, niet jouw scores."),
                   "en": ("How is your network doing? Give each building block a score from 1 (weak) to 5 (strong). "
                          "The trainer only sees the result of the whole group, not your scores.")},
    "join_name": {"nl": "Je naam (mag leeg blijven)", "en": "Your name (may stay empty)"},
    "join_name_hint": {"nl": "Je naam komt niet in het resultaat dat de groep ziet.",
                       "en": "Your name does not appear in the result the group sees."},
    "join_low": {"nl": "1 = zwak", "en": "1 = weak"},
    "join_high": {"nl": "5 = sterk", "en": "5 = strong"},
    "join_remark": {"nl": "Opmerking toevoegen (mag leeg blijven)", "en": "Add a remark (optional)"},
    "join_remark_label": {"nl": "Opmerking bij {name}", "en": "Remark on {name}"},
    "join_scale_hint": {"nl": "Kies bij elke bouwsteen een score.", "en": "Choose a score for every building block."},
    "join_left_one": {"nl": "Nog 1 bouwsteen te kiezen", "en": "1 building block left"},
    "join_left_many": {"nl": "Nog {n} bouwstenen te kiezen", "en": "{n} building blocks left"},
    "join_left_none": {"nl": "Alles ingevuld: je kunt versturen.", "en": "All done: you can send."},
    "join_send": {"nl": "Verstuur", "en": "Send"},
    "join_change": {"nl": "Verstuur mijn wijziging", "en": "Send my change"},
    "join_saved_new": {"nl": "Dank je! Je antwoord is opgeslagen. Je kunt het nog aanpassen tot de trainer de leerkring sluit.",
                       "en": "Thank you! Your answer is saved. You can change it until the trainer closes the session."},
    "join_saved_changed": {"nl": "Je wijziging is opgeslagen.", "en": "Your change is saved."},
    "join_have_answer": {"nl": "Dit is je eerder verstuurde antwoord. Je kunt het aanpassen en opnieuw versturen.",
                         "en": "This is the answer you sent earlier. You can change it and send it again."},
    "join_closed": {"nl": "Deze leerkring is gesloten door de trainer. Je antwoord kan niet meer worden ingestuurd of veranderd.",
                    "en": "The trainer has closed this learning circle. Answers can no longer be sent or changed."},
    "join_not_found": {"nl": "Deze leerkring bestaat niet (meer). Controleer de link of vraag de trainer om een nieuwe.",
                       "en": "This learning circle does not exist (any more). Check the link or ask the trainer for a new one."},
    "join_rate": {"nl": "Je hebt in korte tijd te vaak verstuurd. Wacht een minuut.",
                  "en": "You sent too often in a short time. Wait a minute and try again; your last answer is saved."},
    "join_too_long": {"nl": "Je bericht is te lang. Maak je opmerkingen korter.",
                      "en": "Your message is too long. Please shorten your remarks."},
    # participant page: limits against ballot stuffing and unreadable posts (issue 20, items 10 and 22)
    "join_busy": {"nl": ("Er komen nu heel veel antwoorden tegelijk binnen. Wacht een minuut en verstuur dan opnieuw; "
                         "dit antwoord is nog niet bewaard."),
                  "en": "Very many answers are arriving at once. Wait a minute and send again; this answer is not saved yet."},
    "join_bad_form": {"nl": "Je antwoord kon niet worden gelezen. Laad de pagina opnieuw en vul het formulier opnieuw in.",
                      "en": "Your answer could not be read. Reload the page and fill in the form again."},
    "join_privacy": {"nl": ("Wat wordt bewaard: je scores, je opmerkingen en (als je die invult) je naam, op de computer van de "
                            "trainer, en na {days} dagen gewist. Dit apparaat onthoudt met een cookie alleen dat dit jouw antwoord is."),
                     "en": ("What is kept: your scores, your remarks and (if you fill it in) your name, on the trainer's computer, "
                            "deleted after {days} days. This device only remembers with a cookie that this answer is yours.")},
    # --- feedback on answers and the gaps report (issue 21) ---
    "fb_question": {"nl": "Had je hier iets aan?", "en": "Was this helpful?"},
    "fb_up": {"nl": "👍 Ja, nuttig", "en": "👍 Yes, helpful"},
    "fb_down": {"nl": "👎 Nee, niet nuttig", "en": "👎 No, not helpful"},
    "fb_scope": {"nl": "Dit gaat wél over netwerken", "en": "This is about networks after all"},
    "fb_reason_label": {"nl": "Wat ging er mis? (kies er één)", "en": "What went wrong? (choose one)"},
    "fb_reason_no_answer": {"nl": "Beantwoordt mijn vraag niet", "en": "Does not answer my question"},
    "fb_reason_wrong_block": {"nl": "Verkeerde bouwsteen", "en": "Wrong building block"},
    "fb_reason_wrong_case": {"nl": "Verkeerd praktijkverhaal", "en": "Wrong practice story"},
    "fb_reason_unclear": {"nl": "Te lang / onduidelijk", "en": "Too long / unclear"},
    "fb_reason_other": {"nl": "Andere reden", "en": "Another reason"},
    "fb_reason_in_scope": {"nl": "Dit gaat wél over netwerken", "en": "This is about networks after all"},
    "fb_block_label": {"nl": "Welke bouwsteen had het moeten zijn?", "en": "Which building block should it have been?"},
    "fb_text_label": {"nl": "Wat ging er mis? (mag leeg blijven)", "en": "What went wrong? (optional)"},
    "fb_send": {"nl": "Verstuur", "en": "Send"},
    "fb_thanks": {"nl": "Dank je! Je reactie helpt de coach beter te worden.",
                  "en": "Thank you! Your feedback helps the coach improve."},
    "fb_thanks_reason": {"nl": "Dank je! Wil je nog zeggen wat er mis was? Kies een reden (hoeft niet).",
                         "en": "Thank you! Would you say what went wrong? Choose a reason (optional)."},
    "fb_off": {"nl": "Feedback staat uit in deze installatie; er is niets bewaard. De beheerder kan het aanzetten met COACH_FEEDBACK=on.",
               "en": "Feedback is switched off in this installation; nothing was stored. The administrator can switch it on with COACH_FEEDBACK=on."},
    "fb_unknown_answer": {"nl": "Dit antwoord ken ik niet (meer); er is niets bewaard. Geef feedback op een antwoord van de laatste 24 uur, in deze sessie van de app.",
                          "en": "I do not know this answer (any more); nothing was stored. Give feedback on an answer from the last 24 hours, from this run of the app."},
    "fb_bad_rating": {"nl": "Kies 'up' (👍) of 'down' (👎); er is niets bewaard.",
                      "en": "Choose 'up' (👍) or 'down' (👎); nothing was stored."},
    "fb_bad_reason": {"nl": "Deze reden ken ik niet; kies uit {reasons}. Er is niets bewaard.",
                      "en": "Unknown reason; choose one of {reasons}. Nothing was stored."},
    "fb_reason_with_up": {"nl": "Een reden hoort bij 👎, niet bij 👍; er is niets bewaard.",
                          "en": "A reason goes with 👎, not with 👍; nothing was stored."},
    "fb_bad_block": {"nl": "Deze bouwsteen ken ik niet; kies uit {blocks}. Er is niets bewaard.",
                     "en": "Unknown building block; choose one of {blocks}. Nothing was stored."},
    "fb_too_long": {"nl": "Je toelichting is te lang (hooguit {n} tekens); er is niets bewaard. Maak hem korter.",
                    "en": "Your remark is too long (at most {n} characters); nothing was stored. Please shorten it."},
    "fb_no_correction": {"nl": "Een toelichting hoort alleen bij 'verkeerde bouwsteen' (welke) of 'andere reden'; er is niets bewaard.",
                         "en": "A correction only goes with 'wrong building block' (which one) or 'another reason'; nothing was stored."},
    "fb_error_title": {"nl": "Feedback niet bewaard", "en": "Feedback not stored"},
    "gaps_panel": {"nl": "Wat de coach mist (feedback van gebruikers)", "en": "Where the coach falls short (users' feedback)"},
    "gaps_refresh": {"nl": "Vernieuw het overzicht", "en": "Refresh the report"},
    "gaps_files": {"nl": "Download (Markdown en CSV)", "en": "Download (Markdown and CSV)"},
    "gaps_title": {"nl": "Wat de coach mist", "en": "Where the coach falls short"},
    "gaps_empty": {"nl": "Nog geen feedback.", "en": "No feedback yet."},
    "gaps_totals": {"nl": "{n} reacties: {up} × 👍, {down} × 👎.", "en": "{n} ratings: {up} × 👍, {down} × 👎."},
    "gaps_reasons": {"nl": "Redenen bij 👎", "en": "Reasons given with 👎"},
    "gaps_reason": {"nl": "reden", "en": "reason"},
    "gaps_no_reason": {"nl": "(geen reden gekozen)", "en": "(no reason chosen)"},
    "gaps_blocks": {"nl": "Per bouwsteen (waarover de coach antwoordde)", "en": "Per building block (the one the coach answered with)"},
    "gaps_cases": {"nl": "Per praktijkverhaal", "en": "Per practice story"},
    "gaps_languages": {"nl": "Nederlands en Engels", "en": "Dutch and English"},
    "gaps_kinds": {"nl": "Per soort antwoord", "en": "Per kind of answer"},
    "gaps_confusion": {"nl": "Verbeterde bouwstenen (de coach zei → de gebruiker zei)",
                       "en": "Corrected building blocks (the coach said → the user said)"},
    "gaps_up": {"nl": "👍 nuttig", "en": "👍 helpful"},
    "gaps_down": {"nl": "👎 niet nuttig", "en": "👎 not helpful"},
    "gaps_from": {"nl": "coach", "en": "coach"},
    "gaps_to": {"nl": "gebruiker", "en": "user"},
    "gaps_turned_away": {"nl": "Afgewezen vragen die wél over netwerken gaan", "en": "Turned-away questions that are about networks"},
    "gaps_passages": {"nl": "Passages die het vaakst in 👎-antwoorden staan", "en": "Passages cited most often in 👎 answers"},
    "gaps_remarks": {"nl": "Andere redenen (toelichting)", "en": "Other reasons (remarks)"},
}

# ------------------------------------------------------ web server guard (issue 20, items 13, 19, 20)
UI_TEXTS.update({
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
})


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


# The live learning circle's reveal report, charts and exports in the trainer's language
# (issue 20 items 3, 5, 16; leerkring_view.py). The magazine's own material stays Dutch.
UI_TEXTS.update({
    # the hand-off from the revealed result to "Overleg voorbereiden" (leerkring_view.prep_request)
    "lkp_purpose": {"nl": "Vervolg op de leerkring ‘{title}’: bespreken waar we zwak staan en waar we het oneens zijn.",
                    "en": "Follow-up to the learning circle ‘{title}’: discuss where we are weak and where we "
                          "disagree."},
    "lkp_weakest": {"nl": "In de Mozaïekscan van de leerkring ({n} deelnemers) scoorden {blocks} het laagst",
                    "en": "In the learning circle's Mozaïek scan ({n} participants) {blocks} scored lowest"},
    "lkp_disputed": {"nl": "over {blocks} lopen de meningen het verst uiteen",
                     "en": "opinions differ most on {blocks}"},
    "lkp_remarks": {"nl": "Opmerkingen uit de groep:", "en": "Remarks from the group:"},
    "lkr_title_default": {"nl": "Leerkring", "en": "Learning circle"},
    "lkr_heading": {"nl": "# {title} — resultaat", "en": "# {title} — result"},
    "lkr_date": {"nl": "**Datum:** {date}  ", "en": "**Date:** {date}  "},
    "lkr_count": {"nl": "**Ingevuld door:** {n} deelnemers (anoniem)",
                  "en": "**Filled in by:** {n} participants (anonymous)"},
    "lkr_scores": {"nl": "## Scores per bouwsteen", "en": "## Scores per building block"},
    "lkr_table": {"nl": "| Bouwsteen | Gemiddeld | Laagste | Hoogste | Let op |",
                  "en": "| Building block | Mean | Lowest | Highest | Note |"},
    "lkr_weakest": {"nl": "laagste gemiddelde score", "en": "lowest mean score"},
    "lkr_disputed": {"nl": "grote verschillen tussen deelnemers", "en": "large differences between participants"},
    "lkr_and": {"nl": " en ", "en": " and "},
    "lkr_scale": {"nl": "Schaal: {lo} (zwak) tot en met {hi} (sterk).", "en": "Scale: {lo} (weak) to {hi} (strong)."},
    "lkr_compared": {"nl": "## Vergeleken met {label} ({n} deelnemers)",
                     "en": "## Compared with {label} ({n} participants)"},
    "lkr_no_change": {"nl": ("Geen bouwsteen is duidelijk veranderd (gemiddelde minder dan 1 punt verschoven, "
                             "spreiding ongeveer gelijk)."),
                      "en": "No building block changed clearly (the mean moved less than 1 point, the spread is "
                            "about the same)."},
    "lkr_rose": {"nl": "gemiddeld gestegen van {before} naar {now}", "en": "mean rose from {before} to {now}"},
    "lkr_fell": {"nl": "gemiddeld gedaald van {before} naar {now}", "en": "mean fell from {before} to {now}"},
    "lkr_narrowed": {"nl": "de scores liggen dichter bij elkaar dan vorige keer",
                     "en": "the scores are closer together than last time"},
    "lkr_widened": {"nl": "de scores lopen verder uiteen dan vorige keer",
                    "en": "the scores are further apart than last time"},
    "lkr_imported": {"nl": "ingelezen scan", "en": "imported scan"},
    "lkr_focus": {"nl": "## Focus voor het gesprek", "en": "## Focus for the conversation"},
    "lkr_why": {"nl": "*Waarom:* {why} (gemiddeld {mean}, verschil tussen laagste en hoogste score {spread}).",
                "en": "*Why:* {why} (mean {mean}, difference between lowest and highest score {spread})."},
    "lkr_questions": {"nl": "**Verdiepende vragen**", "en": "**Deepening questions** (in Dutch, as printed)"},
    "lkr_stem": {"nl": "**Stem af met…**", "en": "**Align with…** (in Dutch, as printed)"},
    "lkr_case": {"nl": "*Praktijkverhaal om te bespreken:* ‘{section}’ ({where})",
                 "en": "*Practice story to discuss:* ‘{section}’ ({where})"},
    "lkr_case_people": {"nl": ", met {people}.", "en": ", with {people}."},
    "lkr_no_case": {"nl": "*Praktijkverhaal:* bij deze bouwsteen staat geen praktijkverhaal in het magazine.",
                    "en": "*Practice story:* the magazine has no practice story for this building block."},
    "lkr_remarks": {"nl": "## Opmerkingen (anoniem, in willekeurige volgorde)",
                    "en": "## Remarks (anonymous, in random order)"},
    "lkr_no_remarks": {"nl": "Er zijn geen opmerkingen gegeven.", "en": "No remarks were given."},
    "lkr_too_few_none": {"nl": "Nog niemand heeft ingevuld.", "en": "Nobody has filled in yet."},
    "lkr_too_few": {"nl": "Pas {n} {people} ingevuld.", "en": "Only {n} {people} filled in."},
    "lkr_too_few_why": {"nl": ("Het resultaat blijft verborgen tot er minstens {min} inzendingen zijn, zodat niemands "
                               "scores herkenbaar zijn."),
                        "en": ("The result stays hidden until there are at least {min} submissions, so that nobody's "
                               "scores can be recognised.")},
    "lkr_not_yours": {"nl": "Deze leerkring hoort bij een andere trainer of bestaat niet meer.",
                      "en": "This learning circle belongs to another trainer or no longer exists."},
    "lkc_highest": {"nl": "Hoogste score", "en": "Highest score"},
    "lkc_lowest": {"nl": "Laagste score", "en": "Lowest score"},
    "lkc_mean": {"nl": "Gemiddelde", "en": "Mean"},
    "lkc_mean_earlier": {"nl": "Gemiddelde {label}", "en": "Mean {label}"},
    "lkc_hover_mean": {"nl": "%{theta}: gemiddeld %{r}<extra></extra>", "en": "%{theta}: mean %{r}<extra></extra>"},
    "lkc_hover_earlier": {"nl": "%{theta}: vorige keer %{r}<extra></extra>",
                          "en": "%{theta}: last time %{r}<extra></extra>"},
    "lkc_hover_dots_mean": {"nl": "%{y}: gemiddeld %{x}<extra></extra>", "en": "%{y}: mean %{x}<extra></extra>"},
    "lkc_title": {"nl": "{title} — {n} deelnemers", "en": "{title} — {n} participants"},
    "lkc_dots_title": {"nl": "Hoe ver liggen de scores uiteen?", "en": "How far apart are the scores?"},
    "lkc_axis": {"nl": "score (1 = zwak, 5 = sterk)", "en": "score (1 = weak, 5 = strong)"},
    "lkc_count": {"nl": "Aantal mensen", "en": "Number of people"},
    "lkc_spread": {"nl": "Spreiding (laagste–hoogste score)", "en": "Spread (lowest–highest score)"},
    "lkc_people_one": {"nl": "deelnemer", "en": "participant"},
    "lkc_people_many": {"nl": "deelnemers", "en": "participants"},
    "lkc_last_time": {"nl": "Vorige keer", "en": "Last time"},
})


def ui_text(key: str, lang: str = "nl", **values) -> str:
    """The app's text named ``key`` in ``lang`` (Dutch for any other language), filled in."""
    return _lookup(UI_TEXTS, key, lang, values)
