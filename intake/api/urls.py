from rest_framework.routers import SimpleRouter

from . import views

# No trailing slashes (`/api/v1/candidates/12/transitions`), as most HTTP APIs: a client that POSTs to a URL
# without its slash would otherwise get a redirect and lose its body.
router = SimpleRouter(trailing_slash=False)
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("tracks", views.InstroomspoorViewSet, basename="track")
router.register("branches", views.KrijgsmachtdeelViewSet, basename="branch")
router.register("reasons", views.ReasonViewSet, basename="reason")
router.register("lichtingen", views.LichtingViewSet, basename="lichting")

urlpatterns = router.urls
