"""The API's error answers: every refusal of input is a 400 with field errors."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, gettext_lazy, ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

NOT_JSON_OR_FORM = gettext_lazy(
    "Send the body as JSON (Content-Type: application/json) or as form data."
)
# The parser's own text names Python's JSON error, in English.
NOT_JSON = gettext_lazy("The body is not valid JSON. Check its quotes and commas.")
NOT_TEXT = gettext_lazy(
    "The body is not text in the charset it names (UTF-8 when none is named). Send it as UTF-8."
)
NOT_FORM = gettext_lazy(
    "The form data could not be read. Send it as UTF-8 form data, or send the body as JSON."
)
NEEDS_LENGTH = gettext_lazy(
    "Send the body in one piece, with a Content-Length header: a body sent in chunks is not read."
)
TOO_MANY_FIELDS = gettext_lazy("The body has more fields than a registration needs.")


def too_large() -> str:
    """Says the limit in the reader's language and units ("2.5 MB", "2,5 Mo")."""
    return gettext("The body is too large: send at most %(size)s.") % {
        "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }


class BadBody(ValueError):
    """A request body that is neither JSON nor form data (the message says which)."""


def refuse_constant(name: str):
    """NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not JSON")


def wait_message(seconds: int) -> str:
    minutes = -(-int(seconds) // 60)
    return ngettext(
        "Please wait %(minutes)s minute and try again.",
        "Please wait %(minutes)s minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def api_exception_handler(error, context):
    if isinstance(error, exceptions.UnsupportedMediaType):
        return Response(
            {"non_field_errors": [NOT_JSON_OR_FORM]}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(error, exceptions.ParseError):
        return Response({"non_field_errors": [NOT_JSON]}, status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(error, context)
    if isinstance(error, exceptions.Throttled) and response is not None and error.wait:
        # The framework's text is formatted before it is translated, so it is
        # never translated: say it in the request's language.
        response.data = {"detail": wait_message(error.wait)}
    return response
