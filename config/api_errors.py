"""The API's error answers: every refusal of input is a 400 with field errors."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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
    if isinstance(error, exceptions.ParseError):
        # The parser's own text names Python's JSON error, in English.
        return Response(
            {"non_field_errors": [_("The body is not valid JSON. Check its quotes and commas.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = exception_handler(error, context)
    if isinstance(error, exceptions.Throttled) and response is not None and error.wait:
        # The framework's text is formatted before it is translated, so it is
        # never translated: say it in the request's language.
        minutes = -(-int(error.wait) // 60)
        response.data = {
            "detail": ngettext(
                "Please wait %(minutes)s minute and try again.",
                "Please wait %(minutes)s minutes and try again.",
                minutes,
            )
            % {"minutes": minutes}
        }
    return response
