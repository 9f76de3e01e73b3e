"""Reference data every environment needs: the intake tracks, the service branches and the reason catalogue.
Loaded by a migration; tests whose database is flushed between tests load it again through `load`."""

from django.apps import apps as global_apps

TRACKS = [
    # code, name, personnel category, starts in lichtingen
    ("beroeps", "Beroepsmilitair (reguliere sollicitatie)", "beroepsmilitair", False),
    ("reservist", "Reservist (reguliere sollicitatie)", "reservist", False),
    ("dienjaar", "Dienjaar Defensie", "beroepsmilitair", True),
    ("nwt", "Nationale Weerbaarheidstraining (NWT)", "reservist", True),
    ("defensity", "Defensity College", "reservist", True),
]

BRANCHES = [
    ("KL", "Koninklijke Landmacht"),
    ("KM", "Koninklijke Marine"),
    ("KLU", "Koninklijke Luchtmacht"),
    ("KMAR", "Koninklijke Marechaussee"),
    ("DEF", "Defensiebreed"),
]

REASONS = [
    # kind, phase ("" = any), code, label, outflow type
    (
        "afwijzing",
        "werving",
        "afw-niet-aan-eisen",
        "Voldoet niet aan de basiseisen (leeftijd, opleiding, nationaliteit)",
        "",
    ),
    ("afwijzing", "werving", "afw-geen-passende-functie", "Geen passende functie beschikbaar", ""),
    ("afwijzing", "selectie", "afw-psychologisch", "Psychologisch onderzoek: ongeschikt", ""),
    ("afwijzing", "selectie", "afw-sporttest", "Fysieke test niet gehaald", ""),
    ("afwijzing", "keuring", "afw-medisch", "Medische keuring: ongeschikt", ""),
    ("afwijzing", "keuring", "afw-veiligheid", "Geen verklaring van geen bezwaar (veiligheidsonderzoek)", ""),
    ("afwijzing", "opleiding", "afw-opleiding-niet-gestart", "Opleiding niet gestart (geen plaats)", ""),
    ("terugtrekking", "", "trk-andere-baan", "Andere baan of opleiding gekozen", ""),
    ("terugtrekking", "", "trk-doorlooptijd", "Procedure duurde te lang", ""),
    ("terugtrekking", "", "trk-persoonlijk", "Persoonlijke omstandigheden", ""),
    ("terugtrekking", "", "trk-onbereikbaar", "Niet meer bereikbaar", ""),
    ("terugtrekking", "", "trk-beeld-defensie", "Beeld van het werk past niet", ""),
    ("terugtrekking", "opleiding", "trk-startdatum", "Startdatum opleiding te ver weg", ""),
    ("uitval", "opleiding", "uit-blessure", "Blessure of fysieke belastbaarheid", ""),
    ("uitval", "opleiding", "uit-motivatie", "Motivatie of verwachtingen", ""),
    ("uitval", "opleiding", "uit-resultaten", "Onvoldoende opleidingsresultaten", ""),
    ("uitval", "opleiding", "uit-medisch", "Medische redenen", ""),
    ("uitval", "opleiding", "uit-persoonlijk", "Persoonlijke omstandigheden", ""),
    ("uitstroom", "aangesteld", "uts-einde-contract", "Einde contract of dienjaar", "regulier"),
    ("uitstroom", "aangesteld", "uts-leeftijd", "Leeftijdsontslag of pensioen", "regulier"),
    ("uitstroom", "aangesteld", "uts-opleidingsverloop", "Opleidingsverloop", "regulier"),
    ("uitstroom", "aangesteld", "uts-eigen-verzoek", "Ontslag op eigen verzoek", "irregulier"),
    ("uitstroom", "aangesteld", "uts-medisch", "Medisch ontslag", "irregulier"),
    ("uitstroom", "aangesteld", "uts-overlijden", "Overlijden", "irregulier"),
]


def load(apps=global_apps):
    Instroomspoor = apps.get_model("intake", "Instroomspoor")
    Krijgsmachtdeel = apps.get_model("intake", "Krijgsmachtdeel")
    Reason = apps.get_model("intake", "Reason")
    for code, name, category, lichtingen in TRACKS:
        Instroomspoor.objects.update_or_create(
            code=code, defaults={"name": name, "personnel_category": category, "starts_in_lichtingen": lichtingen}
        )
    for code, name in BRANCHES:
        Krijgsmachtdeel.objects.update_or_create(code=code, defaults={"name": name})
    for kind, phase, code, label, outflow in REASONS:
        Reason.objects.update_or_create(
            code=code, defaults={"kind": kind, "phase": phase, "label": label, "outflow_type": outflow}
        )
