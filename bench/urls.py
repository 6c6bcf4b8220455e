from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


class Hello(APIView):
    """The floor: DRF and the middleware, no database."""

    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response({"hello": "world"})

    def post(self, request):
        return Response({"hello": "world"}, status=201)


urlpatterns = [
    path("bench/hello/", Hello.as_view()),
    path("", include("config.urls")),
]
