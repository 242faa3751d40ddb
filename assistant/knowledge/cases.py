"""The practice cases: key, section, place, network, people with roles, blocks.

The facts are written down here as a small table and *checked against the text* when the
magazine is loaded (``resolve_cases``): every person's name and role, the place and the network
must occur in the case's own section, so a table that drifts from the magazine fails loudly.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .corpus import Magazine, Section

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    name: str
    role: str


@dataclass(frozen=True)
class Case:
    key: str
    section: str
    place: str
    network: str
    people: tuple[Person, ...]
    blocks: tuple[str, ...]  # first: the block the case stands behind in the magazine
    # A case that shares its section with another: the paragraph where it starts/ends.
    starts_at: str | None = None
    ends_before: str | None = None

    def to_dict(self) -> dict:
        return {"key": self.key, "section": self.section, "place": self.place,
                "network": self.network, "people": [p.name for p in self.people],
                "roles": {p.name: p.role for p in self.people}, "blocks": list(self.blocks)}


CASES: tuple[Case, ...] = (
    Case("drechtsteden", "Partners moeten met elkaar verbonden zijn", "Drechtsteden",
         "Huisvesting Kwetsbare Groepen",
         (Person("Tinka van Rood", "corporatiebestuurder"),), ("binding", "deelname", "opgave")),
    Case("amersfoort", "De zeven Amersfoortse lessen", "Amersfoort", "wonen en zorg",
         (Person("Els van Kooten", "programmamanager wonen en zorg"),),
         ("deelname", "organisatie", "binding")),
    Case("zaanstad", "Lokale netwerken, landelijk verbonden", "Zaanstad",
         "Pact Poelenburg/Peldersveld",
         (Person("Roy Kramer", "programmadirecteur van het landelijke NPLV"),
          Person("Marieke Sloep", "programmadirecteur Pact Poelenburg/Peldersveld")),
         ("opgave", "waarde", "organisatie")),
    Case("heerlen", "Bouwen aan een gebiedsnetwerk", "Heerlen-Noord", "alliantie Heerlen-Noord",
         (Person("Ron Meyer", "programmadirecteur"),),
         ("opgave", "organisatie", "samen-doen", "binding")),
    Case("tno", "Samenwerken is (g)een optie", "Nederland", "publiek-private samenwerking",
         (Person("Pepijn Vos", "adviseur bij TNO"),), ("waarde", "deelname", "binding")),
    Case("overijssel", "Niet consumeren, maar produceren", "Overijssel", "Nieuwe Energie Overijssel",
         (Person("Gábor Oolthuis", "Programmaleider van Nieuwe Energie Overijssel"),),
         ("organisatie", "samen-doen", "deelname")),
    Case("feijenoord", "Als samen doen niet meer lukt", "Feijenoord", "Samen één in Feijenoord",
         (Person("Katrien Buijsse", "netwerkregisseur"),), ("samen-doen", "waarde", "verankering")),
    Case("ruwaard", "Verankering komt als je het goede doet", "Oss", "Proeftuin Ruwaard",
         (Person("Marjon Vos", "netwerkregisseur"),
          Person("Fred Pijls", "voorzitter van het dagelijks bestuur")),
         ("verankering", "waarde"), ends_before="MOM: verankering is samen dingen doen"),
    Case("mom", "Verankering komt als je het goede doet", "Tilburg",
         "MOM, de Maatschappelijke Ontwikkelingsmaatschappij",
         (Person("Ralf Embrechts", "directeur-buurman"),), ("verankering", "samen-doen"),
         starts_at="MOM: verankering is samen dingen doen"),
    Case("legitimatie", "Heeft jouw netwerk al een vergunning?", "Nederland",
         "Trias Legitimatiecheck",
         (Person("Patrick Kenis", "NWO-onderzoek naar Toezicht op Organisatienetwerken"),),
         ("verankering", "waarde")),
    Case("kenis-montfort", "In je omgeving ligt je bestaansrecht", "Nederland", "Netwerkvisitatie",
         (Person("Patrick Kenis", "hoogleraar public governance"),
          Person("Cor van Montfort", "onderzoeker goed bestuur")), ("verankering", "organisatie")),
)
CASE_KEYS = tuple(c.key for c in CASES)


def case_paragraphs(case: Case, section: Section) -> tuple[str, ...]:
    """The paragraphs of ``section`` that belong to ``case`` (a section may hold two cases)."""
    paras = section.paragraphs
    if case.starts_at:
        idx = next((i for i, p in enumerate(paras) if p.startswith(case.starts_at)), None)
        paras = paras[idx:] if idx is not None else ()
    if case.ends_before:
        idx = next((i for i, p in enumerate(paras) if p.startswith(case.ends_before)), None)
        paras = paras[:idx] if idx is not None else paras
    return paras


def resolve_cases(magazine: Magazine, cases: tuple[Case, ...] = CASES) -> tuple[Case, ...]:
    """The cases whose section is in ``magazine`` and whose facts all occur in that section.

    A case whose facts are not found (another edition of the text) is left out, with a warning.
    """
    titles = {s.title: s for s in magazine.sections}
    out = []
    for case in cases:
        section = titles.get(case.section)
        if section is None:
            continue
        text = " ".join(case_paragraphs(case, section)) + " " + section.subtitle
        missing = [fact for fact in (case.network, *(p.name for p in case.people),
                                     *(p.role for p in case.people)) if fact not in text]
        if case.place != "Nederland" and case.place not in text:
            missing.append(case.place)
        if missing:
            log.warning("Praktijkverhaal %s weggelaten: niet gevonden in '%s': %s",
                        case.key, case.section, missing)
            continue
        out.append(case)
    return tuple(out)
