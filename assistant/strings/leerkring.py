"""The live learning circle in the trainer's and the participant's language: the trainer's panel, the
participant's page, the reveal report, its charts and exports, and the hand-off to the prep sheet
(issue 20). The magazine's own material stays Dutch."""
from __future__ import annotations

LEERKRING_TEXTS: dict[str, dict[str, str]] = {
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
}
