from django.contrib.auth import views as auth_views
from django.urls import path

from attendance import api, views
from config.security import limited_login

app_name = "attendance"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", limited_login(views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="attendance:login"), name="logout"),
    path("events/<int:event_id>/", views.event_dashboard, name="event"),
    path("events/<int:event_id>/export.csv", views.event_export, name="event-export"),
    path("events/<int:event_id>/marshals/", views.add_marshal, name="add-marshal"),
    path(
        "events/<int:event_id>/marshals/<int:assignment_id>/remove/",
        views.remove_marshal,
        name="remove-marshal",
    ),
    path("events/<int:event_id>/reminders/", views.reminders, name="reminders"),
    path("events/<int:event_id>/updates/", views.post_update, name="update"),
    path("events/<int:event_id>/checkin/", views.checkin, name="checkin"),
    path("events/<int:event_id>/counter/", views.counter, name="counter"),
    path("events/<int:event_id>/taps/", api.EventTaps.as_view(), name="taps"),
    path("campaigns/<slug:slug>/", views.campaign, name="campaign"),
    path("campaigns/<slug:slug>/figures.json", views.campaign_fragment, name="campaign-json"),
    path("campaigns/<slug:slug>/export.csv", views.campaign_export, name="campaign-export"),
]
