from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from config.security import limited_login
from config.views import no_icon
from events import api as events_api
from interpretation import api as interpretation_api
from registrations import api as registrations_api

router = DefaultRouter()
router.register("events", events_api.EventViewSet, basename="event")
router.register("campaigns", events_api.CampaignViewSet, basename="campaign")
router.register("venues", events_api.VenueViewSet, basename="venue")
router.register("interpreters", interpretation_api.InterpreterViewSet, basename="interpreter")
router.register(
    "interpretation/assignments", interpretation_api.AssignmentViewSet, basename="assignment"
)

urlpatterns = [
    path("favicon.ico", no_icon),
    path("admin/login/", limited_login(admin.site.login), name="admin-login"),
    path("admin/", admin.site.urls),
    path("dashboard/", include("attendance.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/events/<int:event_id>/registrations/",
        registrations_api.event_registrations,
        name="api-event-registrations",
    ),
    path(
        "api/interpretation/coverage/",
        interpretation_api.CoverageView.as_view(),
        name="api-interpretation-coverage",
    ),
    path(
        "api/interpretation/events/<int:event_id>/plan/",
        interpretation_api.PlanView.as_view(),
        name="api-interpretation-plan",
    ),
    path(
        "api/interpretation/suggestions/",
        interpretation_api.SuggestionsView.as_view(),
        name="api-interpretation-suggestions",
    ),
    path("api/", include(router.urls)),
    # Choosing a language only sets a cookie, so it needs no CSRF token: the
    # menu then works on every page, even those sent with "no-referrer"
    # (browsers post from them with "Origin: null", which the check refuses).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("privacy.urls")),
    path("", include("zoomsync.urls")),
    path("", include("registrations.urls")),
    path("", include("interpretation.urls")),
    path("", include("events.urls")),
]
