from drf_spectacular.utils import extend_schema_view

from intake.api import docs
from intake.api.views import ReferenceViewSet
from nwt.models import School

from .serializers import SchoolSerializer


@extend_schema_view(**docs.reference_views("NWT-partnerscholen", "NWT-partnerschool"))
class SchoolViewSet(ReferenceViewSet):
    queryset = School.objects.all()
    serializer_class = SchoolSerializer
    lookup_field = "pk"
    csv_filename = "nwt-scholen"
