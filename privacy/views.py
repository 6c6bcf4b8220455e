from django.conf import settings
from django.shortcuts import render

from registrations.retention import ANONYMOUS_AFTER


def privacy_page(request):
    """What is collected, how long it is kept, and who else sees what."""
    return render(
        request,
        "privacy/privacy.html",
        {
            "anonymous_hours": int(ANONYMOUS_AFTER.total_seconds() // 3600),
            "default_days": 30,
            "rate_limit_minutes": settings.RATE_LIMIT_WINDOW // 60,
        },
    )
