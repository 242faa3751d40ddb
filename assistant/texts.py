"""Every user-facing text, by name, in Dutch and English: the one home for what people read.

The coach's answer parts, the notes around the optional language model and the app's labels all
come from here. Tests render these exactly; change a text here, not in the code that uses it.
"""
from __future__ import annotations

TEMPLATES: dict[str, dict[str, str]] = {
    "kern": {"nl": "**Kern**", "en": "**In short** (quoted from the Dutch magazine)"},
    "bouwsteen": {"nl": "**Bouwsteen: {name}** — *{tagline}*", "en": "**Building block: {name}** — *{tagline}*"},
    "runner_up": {"nl": "Het raakt ook aan **{name}** — *{tagline}*.",
                  "en": "It also touches on **{name}** — *{tagline}*."},
    "chosen_block": {"nl": "Je koos zelf voor deze bouwsteen.", "en": "You chose this building block yourself."},
    "verdiepende_vragen": {"nl": "**Verdiepende vragen** — om mee te nemen naar je overleg",
                           "en": "**Deepening questions** — to take into your meeting (in Dutch, as printed)"},
    "stem_af_met": {"nl": "**Stem af met**", "en": "**Align with** (the linked building blocks)"},
    "praktijk": {"nl": "**Uit de praktijk** — {who} ({where}):", "en": "**From practice** — {who} ({where}):"},
    "bronnen": {"nl": "**Bronnen**", "en": "**Sources**"},
    "source_line": {"nl": "[{n}] {section}{extra} — {quote}", "en": "[{n}] {section}{extra} — {quote}"},
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
    "kern_llm": {"nl": "**Kern**", "en": "**In short** (based on the Dutch magazine)"},
    "fallback_note": {
        "nl": "*(De taalmodel-server gaf geen bruikbaar antwoord; dit is het antwoord zonder taalmodel.)*",
        "en": "*(The language model server gave no usable answer; this is the answer without the language model.)*",
    },
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


def render(template: str, lang: str = "nl", **values) -> str:
    """The named text in ``lang`` (Dutch when there is no such language), filled in."""
    variants = TEMPLATES[template]
    text = variants.get(lang, variants["nl"])
    return text.format(**values) if values else text
