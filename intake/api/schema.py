"""OpenAPI generation for every API view: the error responses each operation can give (with examples), the
scope a token needs, and the `format` parameter of views that also render CSV. Views document only their own
success responses and examples; everything shared is added here."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_media_type_object, get_view_model
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from intake.choices import ApiScope

from .base import ApiViewMixin
from .exceptions import error_body
from .permissions import ANY_SCOPE, required_scope


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="De HTTP-status, ook in de body.")
    code = serializers.CharField(
        help_text="Machineleesbaar: invalid, not_authenticated, authentication_failed, permission_denied, not_found, "
        "stale_version, throttled, … of de code van een regel uit de instroomketen (bv. skip_not_allowed)."
    )
    detail = serializers.CharField(help_text="Uitleg in het Nederlands, te tonen aan een mens.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per veld de meldingen (geneste velden met punten: `rows.0.name`); leeg als de fout geen veld "
        "betreft.",
    )
    current_version = serializers.IntegerField(required=False, help_text="Alleen bij 409: de actuele versie.")
    retry_after = serializers.IntegerField(
        required=False, help_text="Alleen bij 429: na zoveel seconden mag het opnieuw (ook in Retry-After)."
    )

    class Meta:
        ref_name = "Error"


ERRORS = {
    400: (
        "Ongeldige invoer: per veld wat er mis is. Ook een overgang die de instroomketen niet toestaat.",
        [
            OpenApiExample(
                "Ongeldige velden",
                error_body(
                    400,
                    "invalid",
                    "Controleer de invoer.",
                    fields={
                        "email": ["Voer een geldig e-mailadres in."],
                        "postcode": ["Vul een Nederlandse postcode in, zoals 1234 AB."],
                    },
                ),
            ),
            OpenApiExample(
                "Overgang niet toegestaan",
                error_body(
                    400,
                    "skip_not_allowed",
                    "Van Aanmelding kan een kandidaat niet naar Psychologisch onderzoek: stappen overslaan mag niet "
                    "in dit instroomspoor.",
                    fields={
                        "to_step": [
                            "Van Aanmelding kan een kandidaat niet naar Psychologisch onderzoek: stappen overslaan "
                            "mag niet in dit instroomspoor."
                        ]
                    },
                ),
            ),
        ],
    ),
    401: (
        "Geen, een onbekend, verlopen of ingetrokken token.",
        [OpenApiExample("Token ingetrokken", error_body(401, "authentication_failed", "Dit token is ingetrokken."))],
    ),
    403: (
        "Het token mist de scope voor deze bewerking.",
        [OpenApiExample("Scope ontbreekt", error_body(403, "permission_denied", "Dit token heeft de scope X niet."))],
    ),
    404: (
        "Niet gevonden, of niet zichtbaar voor de eigenaar van het token (een recruiter ziet alleen de "
        "kandidaten van zijn instroomsporen). Ook een onbekend `format` of een pagina voorbij het einde.",
        [OpenApiExample("Niet gevonden", error_body(404, "not_found", "Niet gevonden."))],
    ),
    406: (
        "De Accept-header vraagt een formaat dat dit endpoint niet levert.",
        [
            OpenApiExample(
                "Formaat niet leverbaar", error_body(406, "not_acceptable", "Kon niet voldoen aan de Accept-header.")
            )
        ],
    ),
    409: (
        "De kandidaat is gewijzigd sinds je hem las: `current_version` is de actuele versie. Lees opnieuw en "
        "probeer het dan nogmaals.",
        [
            OpenApiExample(
                "Verouderde versie",
                error_body(
                    409,
                    "stale_version",
                    "Deze kandidaat is intussen door iemand anders gewijzigd. Bekijk de actuele stand en probeer "
                    "opnieuw.",
                    fields={
                        "version": [
                            "Deze kandidaat is intussen door iemand anders gewijzigd. Bekijk de actuele stand en "
                            "probeer opnieuw."
                        ]
                    },
                    current_version=4,
                ),
            )
        ],
    ),
    415: (
        "De body is geen JSON (Content-Type: application/json).",
        [
            OpenApiExample(
                "Geen JSON", error_body(415, "unsupported_media_type", 'Media type "text/plain" is niet ondersteund.')
            )
        ],
    ),
    429: (
        "Te veel verzoeken van dit token (of, zonder token, van dit IP-adres). Wacht `retry_after` seconden.",
        [
            OpenApiExample(
                "Te veel verzoeken",
                error_body(
                    429, "throttled", "Te veel verzoeken. Probeer het over 12 seconden opnieuw.", retry_after=12
                ),
            )
        ],
    ),
}

HEADERS = {
    401: {"WWW-Authenticate": ("string", 'Hoe te authenticeren: `Bearer realm="instroom-api"`.')},
    429: {"Retry-After": ("integer", "Na hoeveel seconden het opnieuw mag.")},
}

FORMAT_DESCRIPTION = (
    "`csv` voor CSV (ook met de header `Accept: text/csv`): een kopregel en één regel per rij, geneste velden met "
    "punten (`a.b`); standaard JSON."
)
CSV_EXAMPLE = "code,name\r\nKL,Koninklijke Landmacht\r\n"

# Examples of query and path parameters by name; an app with new parameters adds its own here.
PARAMETER_EXAMPLES = {
    "id": 123,
    "code": "dienjaar",
    "format": "csv",
    "page": 2,
    "page_size": 100,
    "ordering": "-applied_on",
    "q": "de Vries",
    "instroomspoor": "dienjaar",
    "krijgsmachtdeel": "KL",
    "phase": "keuring",
    "step": "medische_keuring",
    "status": "lopend",
    "recruiter": 7,
    "lichting": 3,
    "applied_after": "2026-01-01",
    "applied_before": "2026-03-31",
    "stalled_days": 30,
    "mine": True,
    "kind": "afwijzing",
    "is_active": True,
    "starts_after": "2026-01-01",
    "starts_before": "2026-12-31",
    "track": "dienjaar",
    "branch": "KL",
    "gender": "vrouw",
    "year": 2025,
    "granularity": "quarter",
}

SCOPE_TEXT = {
    ANY_SCOPE: "Elk geldig token (alle scopes) en elke ingelogde gebruiker.",
    ApiScope.REPORTS_READ: "Token met scope `reports:read` van een manager of beheerder, of een ingelogde manager "
    "of beheerder.",
}


class ApiAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None or not isinstance(self.view, ApiViewMixin):
            return operation
        writes = method in ("POST", "PUT", "PATCH")
        # A plain ApiView (a report) has no model; asking drf-spectacular for one would warn.
        model = get_view_model(self.view) if hasattr(self.view, "get_queryset") else None
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "format" and parameter["in"] == "query":
                parameter["description"] = FORMAT_DESCRIPTION
            if parameter["in"] == "path" and model is not None:
                parameter["description"] = (
                    f"{'Id' if parameter['name'] == 'id' else 'Code'} van de {model._meta.verbose_name}."
                )
            example = PARAMETER_EXAMPLES.get(parameter["name"])
            if parameter["name"] == "code":
                example = getattr(self.view, "lookup_example", example)
            if example is not None and "example" not in parameter:
                parameter["example"] = example
        links = getattr(self.view, "schema_links", {}).get(getattr(self.view, "action", None))
        for code, response in operation["responses"].items():
            if code.startswith("2") and "text/csv" in response.get("content", {}):
                example = getattr(self.view, "csv_example", CSV_EXAMPLE)
                response["content"]["text/csv"] = {"schema": {"type": "string"}, "example": example}
            if code.startswith("2") and links:
                parameter, operation_ids = links
                response["links"] = {
                    operation_id: {
                        "operationId": operation_id,
                        "parameters": {parameter: f"$response.body#/{parameter}"},
                    }
                    for operation_id in operation_ids
                }
        has_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        statuses = [401, 403, 404, 406, 429]
        if writes or has_query:
            statuses.append(400)
        if writes:
            statuses.append(415)
        # A view lists the rarer errors of an action itself, e.g. {"partial_update": [409]}, or of its one
        # operation as a list.
        extra = getattr(self.view, "extra_error_statuses", {})
        statuses += extra if isinstance(extra, list) else extra.get(getattr(self.view, "action", None), [])
        error_ref = self.resolve_serializer(ErrorSerializer, "response").ref
        for status in sorted(set(statuses)):
            operation["responses"].setdefault(str(status), self._error_response(status, error_ref))
        scope = required_scope(self.view, method)
        scope_text = SCOPE_TEXT.get(scope, f"Token met scope `{scope}`, of een ingelogde gebruiker.")
        operation["description"] = (operation.get("description", "") + f"\n\n**Toegang:** {scope_text}").strip()
        return operation

    def _error_response(self, status: int, error_ref: dict) -> dict:
        # A view may say what an error means for it, e.g. {409: (description, examples)}.
        description, examples = getattr(self.view, "error_texts", {}).get(status) or ERRORS[status]
        response = {
            "description": description,
            "content": {
                "application/json": build_media_type_object(
                    error_ref, self._get_examples(None, "response", "application/json", str(status), examples)
                )
            },
        }
        if status in HEADERS:
            response["headers"] = {
                name: {"schema": {"type": type_}, "description": text}
                for name, (type_, text) in HEADERS[status].items()
            }
        return response
