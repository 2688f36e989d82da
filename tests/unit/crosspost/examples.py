"""Dutch answers for the cross-post tests: two rode draden, a local theme and chatter."""

from __future__ import annotations

# (rkk, bestuur, week, text)
MAGDA = [
    (
        "antwerpen",
        "Brasschaat",
        "2026-W10",
        "De MAGDA-documentendienst draait bij ons sinds januari, attesten komen meteen binnen.",
    ),
    (
        "kempen",
        "Hoogstraten",
        "2026-W10",
        "Wij wachten nog op de machtiging voor de MAGDA documentendienst, iemand tips?",
    ),
    (
        "kempen",
        "Geel",
        "2026-W11",
        "Onze leverancier vraagt extra geld voor de koppeling met de documentendienst van MAGDA.",
    ),
    (
        "limburg",
        "Diepenbeek",
        "2026-W11",
        "Welke documenten vragen jullie op via MAGDA? Wij starten met uittreksels uit het bevolkingsregister.",
    ),
    (
        "antwerpen",
        "Schoten",
        "2026-W12",
        "MAGDA documentendienst: wij gebruiken het platform van de intercommunale, dat was het eenvoudigst.",
    ),
]
MAGDA_MORE = [
    (
        "oost",
        "Zulte",
        "2026-W13",
        "Sinds de MAGDA documentendienst live is, hoeven burgers geen attesten meer te halen.",
    ),
    ("oost", "Deinze", "2026-W13", "Bij ons loopt de aansluiting op de MAGDA documentendienst nog via de leverancier."),
    ("limburg", "Genk", "2026-W14", "De machtiging voor de MAGDA documentendienst kregen we na drie maanden."),
]
PHISHING = [
    (
        "antwerpen",
        "Kapellen",
        "2026-W10",
        "We doen elk kwartaal een phishingsimulatie, het aantal kliks daalt duidelijk.",
    ),
    (
        "kempen",
        "Mol",
        "2026-W11",
        "Na de laatste phishingsimulatie kregen alle medewerkers een korte opleiding over phishing.",
    ),
    ("limburg", "Hasselt", "2026-W11", "Phishingmails worden bij ons gemeld via een knop in Outlook, dat werkt goed."),
    (
        "kempen",
        "Balen",
        "2026-W12",
        "Wij laten een externe partner phishingsimulaties uitvoeren voor het hele personeel.",
    ),
    ("antwerpen", "Edegem", "2026-W12", "Onze phishingtest toonde dat vooral nieuwe medewerkers op links klikken."),
]
LOCAL = [
    (
        "antwerpen",
        "Brasschaat",
        "2026-W10",
        "Het nieuwe zwembad opent pas in de zomer door vertraging bij de aannemer.",
    ),
    ("antwerpen", "Schoten", "2026-W11", "Ons zwembad krijgt zonnepanelen en een nieuwe aannemer voor de renovatie."),
]
NOISE = [
    ("antwerpen", "Schoten", "2026-W10", "idem"),
    ("kempen", "Geel", "2026-W10", "ja"),
    ("limburg", "Genk", "2026-W11", "Goede vraag! 👍"),
    ("limburg", "Diepenbeek", "2026-W12", "🙂"),
]
