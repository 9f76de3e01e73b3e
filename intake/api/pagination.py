from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """`?page=2&page_size=100`; a page past the end is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    page_query_description = "Paginanummer, vanaf 1."
    page_size_query_description = "Aantal rijen per pagina: standaard 50, hoogstens 500."


class StableOrderingFilter(OrderingFilter):
    """`?ordering=-applied_on,last_name`. Unknown fields are refused with a 400 (DRF ignores them silently),
    and the id breaks ties, so rows never move between pages when many share a value."""

    def get_schema_operation_parameters(self, view):
        fields = ", ".join(f"`{field}`" for field in view.ordering_fields)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"Sorteren op {fields}; met een `-` ervoor aflopend, meerdere met komma's.",
                "schema": {"type": "string"},
            }
        ]

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            allowed = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [field for field in fields if field.lstrip("-") not in allowed]
            if unknown or not fields:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Sorteren kan op: %(fields)s.") % {"fields": ", ".join(sorted(allowed))},
                        ]
                    },
                    code="invalid_ordering",
                )
            ordering = fields
        else:
            ordering = list(self.get_default_ordering(view) or queryset.model._meta.ordering)
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("id")
        return ordering
