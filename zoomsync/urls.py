from django.urls import path

from zoomsync import views

app_name = "zoomsync"

urlpatterns = [
    path("zoom/webhook/", views.webhook, name="webhook"),
]
