"""The API's error answers: every refusal of input is a 400 with field errors."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def api_exception_handler(error, context):
    if isinstance(error, exceptions.UnsupportedMediaType):
        return Response(
            {
                "non_field_errors": [
                    _("Send the body as JSON (Content-Type: application/json) or as form data.")
                ]
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return exception_handler(error, context)
