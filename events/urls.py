from django.urls import path

from events import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar.ics", feeds.public_feed, name="feed"),
    path("events/<slug:slug>.ics", feeds.event_file, name="ics"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign"),
]
