from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=False)
router.register("schools", views.SchoolViewSet, basename="school")

urlpatterns = router.urls
