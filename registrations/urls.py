from django.urls import path

from registrations import feeds, views

app_name = "registrations"

urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("r/<str:token>/", views.manage, name="manage"),
    path("r/<str:token>/stop-updates/", views.stop_updates, name="stop_updates"),
    path("feeds/<str:token>.ics", feeds.personal_feed, name="feed"),
]
