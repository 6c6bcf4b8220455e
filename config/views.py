"""Site-wide answers that belong to no app."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def no_icon(request):
    """Browsers ask for /favicon.ico whatever the page says: an empty answer
    they may keep for a week, rather than a 404 in every log."""
    response = HttpResponse(status=204)
    response["Cache-Control"] = "public, max-age=604800"
    return response
