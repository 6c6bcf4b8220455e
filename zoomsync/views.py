"""Zoom's webhook endpoint: checked, recorded once, answered at once; the
counting is queued."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from zoomsync import services, webhooks

COUNTED = {"meeting.participant_joined", "meeting.participant_left", "meeting.ended"}


@csrf_exempt
@require_POST
def webhook(request):
    secret = settings.ZOOM_WEBHOOK_SECRET
    try:
        delivery = webhooks.check(
            secret=secret,
            raw_body=request.body,
            timestamp=request.headers.get("x-zm-request-timestamp", ""),
            signed=request.headers.get("x-zm-signature", ""),
        )
        if delivery.kind == "endpoint.url_validation":
            return JsonResponse(webhooks.url_validation_answer(secret, delivery.body))
    except webhooks.Refused:
        return HttpResponse(status=401)
    if delivery.kind in COUNTED:
        meeting_id, registrant_id = webhooks.participant_fields(delivery.body)
        services.record_delivery(
            digest=delivery.digest,
            kind=delivery.kind,
            meeting_id=meeting_id,
            registrant_id=registrant_id,
        )
    return HttpResponse(status=204)
