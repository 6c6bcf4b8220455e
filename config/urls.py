from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from events import api as events_api
from registrations import api as registrations_api

router = DefaultRouter()
router.register("events", events_api.EventViewSet, basename="event")
router.register("campaigns", events_api.CampaignViewSet, basename="campaign")
router.register("venues", events_api.VenueViewSet, basename="venue")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/events/<int:event_id>/registrations/",
        registrations_api.EventRegistrations.as_view(),
        name="api-event-registrations",
    ),
    path("api/", include(router.urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("zoomsync.urls")),
    path("", include("registrations.urls")),
    path("", include("events.urls")),
]
