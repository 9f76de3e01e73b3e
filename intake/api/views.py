"""Thin API views: they check input with a serializer, call `intake.services` or `intake.selectors`, and
serialize the answer. Scopes, errors, throttling and CSV come from `base`, `permissions`, `exceptions`,
`throttles` and `renderers`."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from intake import selectors, services
from intake.choices import ApiScope
from intake.filtersets import CandidateFilterSet, LichtingFilterSet, ReasonFilterSet
from intake.models import Candidate, Instroomspoor, Krijgsmachtdeel, Lichting, Reason

from . import docs
from .base import ApiViewMixin
from .conditional import conditional_response
from .pagination import StableOrderingFilter
from .permissions import ANY_SCOPE
from .renderers import CSVRenderer
from .serializers import (
    CandidateCreateSerializer,
    CandidateSearchSerializer,
    CandidateSerializer,
    CandidateUpdateSerializer,
    InstroomspoorSerializer,
    KrijgsmachtdeelSerializer,
    LichtingSerializer,
    ReasonSerializer,
    StatusEventSerializer,
    TransitionResultSerializer,
    TransitionSerializer,
)

TABLE_RENDERERS = [JSONRenderer, CSVRenderer]


@extend_schema_view(**docs.CANDIDATE_VIEWS)
class CandidateViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    read_scope = ApiScope.CANDIDATES_READ
    write_scope = ApiScope.CANDIDATES_WRITE
    renderer_classes = TABLE_RENDERERS
    csv_filename = "kandidaten"
    serializer_class = CandidateSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = CandidateFilterSet
    ordering_fields = ["applied_on", "step_since", "last_name", "updated_at", "id"]
    ordering = ["-applied_on", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_actions = ("search",)
    extra_error_statuses = {"partial_update": [409], "transitions": [409]}
    # OpenAPI links from a registration to the new candidate's own operations, for clients and fuzzers.
    schema_links = {
        "create": (
            "id",
            [
                "candidates_retrieve",
                "candidates_partial_update",
                "candidates_transitions_create",
                "candidates_events_list",
            ],
        )
    }

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if "q" in request.query_params:
            raise ValidationError(
                {
                    "q": [
                        _("Een zoekterm hoort niet in de URL (daar komt hij in logbestanden): zoek met POST %(url)s.")
                        % {"url": reverse("api:candidate-search")}
                    ]
                },
                code="search_term_in_url",
            )

    def get_queryset(self):
        return selectors.candidates_visible_to(self.request.user).select_related("instroomspoor", "krijgsmachtdeel")

    def get_serializer_class(self):
        return StatusEventSerializer if self.action == "events" else CandidateSerializer

    def retrieve(self, request, pk=None):
        candidate = self.get_object()
        return conditional_response(
            request, last_modified=candidate.updated_at, build=lambda: Response(CandidateSerializer(candidate).data)
        )

    def create(self, request):
        serializer = CandidateCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        candidate = services.candidate_register(actor=request.user, **serializer.validated_data)
        return Response(
            CandidateSerializer(candidate).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(reverse("api:candidate-detail", args=[candidate.pk]))},
        )

    def partial_update(self, request, pk=None):
        candidate = self.get_object()
        serializer = CandidateUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        candidate = services.candidate_update(
            candidate_id=candidate.pk, expected_version=version, actor=request.user, **changes
        )
        return Response(CandidateSerializer(candidate).data)

    @action(detail=False, methods=["post"])
    def search(self, request):
        body = CandidateSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        filters = request.query_params.copy()
        filters["q"] = body.validated_data["q"]
        filterset = self.filterset_class(filters, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        candidates = StableOrderingFilter().filter_queryset(request, filterset.qs, self)
        page = self.paginate_queryset(candidates)
        return self.get_paginated_response(CandidateSerializer(page, many=True).data)

    # No list filters: a transition names its candidate, and building the filter set cost more than the move.
    @action(detail=True, methods=["post"], filter_backends=[])
    def transitions(self, request, pk=None):
        serializer = TransitionSerializer(data=request.data)
        if not serializer.is_valid():
            self.get_object()  # a candidate the caller cannot see is a 404, whatever the body
            raise ValidationError(serializer.errors)
        data = serializer.validated_data
        try:
            candidate_id = int(pk)
        except ValueError:
            raise Http404 from None
        try:
            # The visibility check is part of the statement that locks the candidate, not a query before it.
            event = services.candidate_transition(
                candidate_id=candidate_id,
                expected_version=data["version"],
                kind=data["kind"],
                actor=request.user,
                occurred_at=data.get("occurred_at") or timezone.localdate(),
                to_step=data.get("to_step") or None,
                verdict=data.get("verdict", ""),
                reason=data.get("reason"),
                note=data.get("note", ""),
                among=self.get_queryset(),
            )
        except Candidate.DoesNotExist:
            raise Http404 from None
        result = TransitionResultSerializer({"candidate": event.candidate, "event": event})
        return Response(result.data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        candidate = self.get_object()
        # Every transition saves the candidate, so its change time dates the timeline too.
        return conditional_response(
            request,
            last_modified=candidate.updated_at,
            build=lambda: Response(StatusEventSerializer(selectors.candidate_timeline(candidate), many=True).data),
        )


# Reference data holds no personal data, so any token may read it (a reports token needs it to read codes).
class ReferenceViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    read_scope = ANY_SCOPE
    renderer_classes = TABLE_RENDERERS
    lookup_field = "code"


@extend_schema_view(**docs.reference_views("instroomsporen", "instroomspoor"))
class InstroomspoorViewSet(ReferenceViewSet):
    queryset = Instroomspoor.objects.all()
    serializer_class = InstroomspoorSerializer
    lookup_example = "dienjaar"
    csv_filename = "instroomsporen"


@extend_schema_view(**docs.reference_views("krijgsmachtdelen", "krijgsmachtdeel"))
class KrijgsmachtdeelViewSet(ReferenceViewSet):
    queryset = Krijgsmachtdeel.objects.all()
    serializer_class = KrijgsmachtdeelSerializer
    lookup_example = "KL"
    csv_filename = "krijgsmachtdelen"


@extend_schema_view(**docs.reference_views("redenen", "reden"))
class ReasonViewSet(ReferenceViewSet):
    queryset = Reason.objects.all()
    serializer_class = ReasonSerializer
    lookup_example = "afw-sporttest"
    filterset_class = ReasonFilterSet
    csv_filename = "redenen"


@extend_schema_view(**docs.reference_views("lichtingen", "lichting"))
class LichtingViewSet(ReferenceViewSet):
    queryset = Lichting.objects.select_related("instroomspoor", "krijgsmachtdeel")
    lookup_field = "pk"
    serializer_class = LichtingSerializer
    filterset_class = LichtingFilterSet
    csv_filename = "lichtingen"
