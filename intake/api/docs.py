"""OpenAPI texts and examples of the intake endpoints. Error responses are added for every operation by
`schema.ApiAutoSchema`; here only what is particular to an endpoint."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from .serializers import (
    CandidateCreateSerializer,
    CandidateSearchSerializer,
    CandidateSerializer,
    CandidateUpdateSerializer,
    StatusEventSerializer,
    TransitionResultSerializer,
    TransitionSerializer,
)

NOT_MODIFIED = OpenApiResponse(
    description="Niet gewijzigd sinds de ETag (If-None-Match) of datum (If-Modified-Since) die je meestuurde; "
    "geen body."
)

CANDIDATE = {
    "id": 123,
    "number": "K0000123",
    "first_name": "Sanne",
    "last_name": "de Vries",
    "birth_date": "2005-03-14",
    "email": "sanne.devries@example.nl",
    "phone": "0612345678",
    "postcode": "3511 AB",
    "gender": "vrouw",
    "instroomspoor": "beroeps",
    "krijgsmachtdeel": "KL",
    "application_type": "mzf",
    "function_title": "",
    "source": "campagne",
    "recruiter": 7,
    "lichting": None,
    "applied_on": "2026-02-02",
    "phase": "selectie",
    "step": "sporttest",
    "status": "lopend",
    "step_since": "2026-03-10",
    "version": 4,
    "created_at": "2026-02-02T09:12:44+01:00",
    "updated_at": "2026-03-10T14:03:10+01:00",
}

# A registration with the example candidate's data (the tests register it too, so the example stays valid).
REGISTRATION = {
    name: CANDIDATE[name]
    for name in CandidateCreateSerializer.Meta.fields
    if CANDIDATE[name] not in ("", None) and name != "recruiter"
}

EVENT = {
    "sequence": 5,
    "kind": "doorzetten",
    "from_phase": "selectie",
    "from_step": "sporttest",
    "from_status": "lopend",
    "to_phase": "keuring",
    "to_step": "medische_keuring",
    "to_status": "lopend",
    "verdict": "geschikt",
    "reason": None,
    "note": "",
    "actor": "hr-koppeling",
    "occurred_at": "2026-03-20",
    "recorded_at": "2026-03-20T10:15:00+01:00",
}

CANDIDATE_PAGE = OpenApiExample(
    "Pagina met kandidaten", {"count": 1, "next": None, "previous": None, "results": [CANDIDATE]}, response_only=True
)
# The search term travels in the body of `search`, never in a query string (see intake.search_terms).
NO_TERM_IN_URL = OpenApiParameter("q", exclude=True)

CANDIDATE_VIEWS = {
    "list": extend_schema(
        summary="Kandidaten filteren",
        description="Kandidaten die de eigenaar van het token mag zien, gefilterd met dezelfde filters als de "
        "kandidatenlijst, gepagineerd (`page`, `page_size`) en gesorteerd (`ordering`). Met `format=csv` als CSV "
        "(de regels van de gevraagde pagina). Zoeken op naam of e-mail gaat met `POST /candidates/search`: een "
        "zoekterm in de URL (`?q=`) geeft 400.",
        parameters=[NO_TERM_IN_URL],
        examples=[CANDIDATE_PAGE],
    ),
    "search": extend_schema(
        summary="Kandidaten zoeken op naam, e-mail of nummer",
        description="Als het filteren van de lijst, met de zoekterm in de body zodat die niet in URL's en "
        "logbestanden komt. Filters, `page`, `page_size`, `ordering` en `format` staan in de query string; stuur "
        "voor een volgende pagina dezelfde body naar de `next`-URL.",
        parameters=[NO_TERM_IN_URL],
        request=CandidateSearchSerializer,
        responses={200: CandidateSerializer(many=True)},
        examples=[OpenApiExample("Zoekterm", {"q": "de Vries"}, request_only=True), CANDIDATE_PAGE],
    ),
    "retrieve": extend_schema(
        summary="Eén kandidaat",
        description="Met ETag en Last-Modified: stuur ze terug (If-None-Match / If-Modified-Since) en krijg 304 "
        "zolang de kandidaat niet is gewijzigd. `version` heb je nodig om te wijzigen of te verplaatsen.",
        responses={200: CandidateSerializer, 304: NOT_MODIFIED},
        examples=[OpenApiExample("Kandidaat", CANDIDATE, response_only=True)],
    ),
    "create": extend_schema(
        summary="Kandidaat registreren",
        description="Registreert een aanmelding: de kandidaat begint in werving, stap aanmelding, en krijgt de "
        "eerste statuswijziging. Een recruiter-token registreert alleen in de eigen instroomsporen.",
        request=CandidateCreateSerializer,
        responses={201: CandidateSerializer},
        examples=[
            OpenApiExample("Aanmelding", REGISTRATION, request_only=True),
            OpenApiExample(
                "Geregistreerd", {**CANDIDATE, "phase": "werving", "step": "aanmelding"}, response_only=True
            ),
        ],
    ),
    "partial_update": extend_schema(
        summary="Gegevens van een kandidaat wijzigen",
        description="Wijzigt persoons- en administratieve gegevens; fase, stap en status veranderen alleen met een "
        "overgang (`/transitions`). Stuur de `version` mee die je las: is de kandidaat intussen gewijzigd, dan "
        "volgt 409 met de actuele versie.",
        request=CandidateUpdateSerializer,
        responses={200: CandidateSerializer},
        examples=[
            OpenApiExample("Nieuw telefoonnummer", {"version": 4, "phone": "0687654321"}, request_only=True),
            OpenApiExample("Gewijzigd", {**CANDIDATE, "phone": "0687654321", "version": 5}, response_only=True),
        ],
    ),
    "transitions": extend_schema(
        summary="Kandidaat verplaatsen in de instroomketen",
        description="Legt een overgang vast (doorzetten, uitslag, afwijzing, terugtrekking, uitval, uitstroom, "
        "heropening) via dezelfde regels als de schermen. Antwoordt met de nieuwe stand en de vastgelegde "
        "statuswijziging. Een overgang die niet mag geeft 400 met de code van de regel en het veld.",
        request=TransitionSerializer,
        responses={201: TransitionResultSerializer},
        examples=[
            OpenApiExample(
                "Door naar de medische keuring",
                {"version": 4, "kind": "doorzetten", "verdict": "geschikt", "occurred_at": "2026-03-20"},
                request_only=True,
            ),
            OpenApiExample(
                "Afwijzen na de sporttest",
                {"version": 4, "kind": "afwijzing", "reason": "afw-sporttest", "verdict": "ongeschikt"},
                request_only=True,
            ),
            OpenApiExample(
                "Nieuwe stand",
                {
                    "candidate": {
                        **CANDIDATE,
                        "phase": "keuring",
                        "step": "medische_keuring",
                        "step_since": "2026-03-20",
                        "version": 5,
                    },
                    "event": EVENT,
                },
                response_only=True,
            ),
        ],
    ),
    "events": extend_schema(
        summary="Tijdlijn van een kandidaat",
        description="Alle statuswijzigingen van de kandidaat, oudste eerst. Met ETag en Last-Modified.",
        responses={200: StatusEventSerializer(many=True), 304: NOT_MODIFIED},
        examples=[OpenApiExample("Tijdlijn", [EVENT], response_only=True)],
    ),
}


def reference_views(plural: str, singular: str) -> dict:
    return {
        "list": extend_schema(summary=f"Alle {plural}", description=f"Referentiegegevens: alle {plural}."),
        "retrieve": extend_schema(summary=f"Eén {singular}", description=f"Referentiegegevens: één {singular}."),
    }
