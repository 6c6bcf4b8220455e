from django.urls import path

from interpretation import views

app_name = "interpretation"

urlpatterns = [
    path("interpreters/<str:token>/", views.interpreter_page, name="page"),
    path("interpreters/<str:token>/calendar.ics", views.interpreter_feed, name="feed"),
    path("dashboard/interpretation/", views.dashboard, name="dashboard"),
    path(
        "dashboard/interpretation/campaigns/<slug:slug>/",
        views.campaign_dashboard,
        name="campaign",
    ),
    path("dashboard/interpretation/events/<int:event_id>/", views.event_dashboard, name="event"),
    path("dashboard/interpretation/events/<int:event_id>/plan/", views.event_plan, name="plan"),
    path(
        "dashboard/interpretation/assignments/<int:assignment_id>/",
        views.assignment_action,
        name="assignment",
    ),
]
