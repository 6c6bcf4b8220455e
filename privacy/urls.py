from django.urls import path

from privacy import views

urlpatterns = [path("privacy/", views.privacy_page, name="privacy")]
