from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("r/<str:token>/", views.manage, name="manage"),
]
