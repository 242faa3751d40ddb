"""The coach's own words around an answer, by name, in Dutch and English: answer parts, follow-ups,
own documents, the notes around the language model, the prep sheet, examples, and each block in
plain words."""
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
