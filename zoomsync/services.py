"""Every change of our Zoom state: receivers, tasks, the admin and the
webhook view all come through here.

Zoom is called only from ``run_job`` (a background task). A job brings Zoom
in line with what the database says at the time it runs, so running it twice
does no harm; the ids Zoom gave are stored before anything else happens, and
a create whose answer was lost is looked up before it is tried again.
"""

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from events import signals as event_signals
from events import zoom
from events.models import Event
from registrations.models import Registration
from zoomsync import sync
from zoomsync.models import WebhookDelivery, ZoomJob, ZoomMeeting, ZoomRegistrant

logger = logging.getLogger(__name__)

Kind, State = ZoomJob.Kind, ZoomJob.State
# A running job older than this belongs to a worker that died.
STALE_CLAIM = dt.timedelta(minutes=5)
# Webhook digests are kept this long to recognise redeliveries.
DELIVERY_MEMORY = dt.timedelta(days=2)


def zoom_enabled() -> bool:
    return zoom.is_configured()


# Requests for work (called inside the caller's transaction)


def follow_event(*, event: Event) -> None:
    """Queue the meeting's sync after commit (create, update or cancel)."""
    if not zoom_enabled():
        return
    if event.is_online or ZoomMeeting.objects.filter(event=event).exists():
        request_job(kind=Kind.MEETING, event_id=event.pk)


def set_interpreters(*, event: Event, interpreters: list[tuple[str, str, str]]) -> None:
    """Make the meeting's interpretation channels follow these interpreters.

    ``interpreters``: the whole current list of (email, source language code,
    target language code); a sign language code as target means a sign
    language interpreter. Queues the meeting's update.
    """
    if not event.is_online:
        return
    wanted = [[email, source, target] for email, source, target in interpreters]
    record = sync.meeting_record(event)
    if record.interpreters != wanted:
        ZoomMeeting.objects.filter(pk=record.pk).update(interpreters=wanted)
    follow_event(event=event)


def follow_registration(*, registration_id: int, status: str) -> None:
    """Queue the registrant's sync when Zoom must hear of it.

    Never for anonymous events, nor for people who gave no email: nothing
    they typed goes to Zoom.
    """
    if not zoom_enabled():
        return
    row = (
        Registration.objects.filter(pk=registration_id)
        .values("event_id", "event__privacy", "email")
        .first()
    )
    if row is None or row["event__privacy"] == Event.Privacy.ANONYMOUS or not row["email"]:
        return
    ready = ZoomMeeting.objects.filter(
        event_id=row["event_id"], uses_registration=True, meeting_id__isnull=False
    ).exists()
    known = ZoomRegistrant.objects.filter(registration_id=registration_id).exists()
    if (ready and status == Registration.Status.CONFIRMED) or known:
        request_job(kind=Kind.REGISTRANT, event_id=row["event_id"], registration_id=registration_id)


def request_job(*, kind: str, event_id: int, registration_id: int | None = None) -> None:
    """Ask for a job (or again for one already waiting), run after commit."""
    key = f"{kind}:{registration_id if kind == Kind.REGISTRANT else event_id}"
    now = timezone.now()
    again = {
        # A running job keeps running; the higher generation makes it run once more.
        "state": Case(
            When(state=State.RUNNING, then=Value(State.RUNNING)), default=Value(State.PENDING)
        ),
        "generation": F("generation") + 1,
        "attempts": 0,
        "not_before": now,
        "last_error": "",
    }
    if not ZoomJob.objects.filter(key=key).update(**again):
        try:
            with transaction.atomic():
                ZoomJob.objects.create(
                    key=key,
                    kind=kind,
                    event_id=event_id,
                    registration_id=registration_id,
                    not_before=now,
                )
        except IntegrityError:  # asked for at the same moment elsewhere
            ZoomJob.objects.filter(key=key).update(**again)
    job_id = ZoomJob.objects.filter(key=key).values_list("pk", flat=True).first()
    if kind == Kind.REGISTRANT:
        transaction.on_commit(lambda: wake_drainer(event_id=event_id, job_id=job_id))
    else:
        transaction.on_commit(lambda: queue_task("zoomsync.tasks.run_job", job_id))


# Registrant jobs are many (one per person) and each is small: rather than a
# task each, DRAINERS tasks per event run them one after another, each taking
# the jobs whose id falls in its share. A flag in the cache says a drainer is
# at work, so a new job queues no task while one is; the minute sweep runs
# whatever a dead drainer left.
DRAINERS = 3
DRAIN_FLAG = "zoom:drain:{}:{}"
DRAIN_FLAG_SECONDS = 30
DRAIN_BUDGET_SECONDS = 20


def wake_drainer(*, event_id: int, job_id: int) -> None:
    share = job_id % DRAINERS
    if cache.add(DRAIN_FLAG.format(event_id, share), 1, timeout=DRAIN_FLAG_SECONDS):
        queue_task("zoomsync.tasks.drain_registrants", event_id, share)


def drain_registrants(*, event_id: int, share: int) -> int:
    """Run the event's due registrant jobs of one share, until none is left.

    Stops after DRAIN_BUDGET_SECONDS (below the task timeout) and hands over
    to a new task. Returns how many jobs ran.
    """
    flag = DRAIN_FLAG.format(event_id, share)
    cache.set(flag, 1, timeout=DRAIN_FLAG_SECONDS)
    started, ran = time.monotonic(), 0
    while time.monotonic() - started < DRAIN_BUDGET_SECONDS:
        job_ids = due_registrant_jobs(event_id, share)
        if not job_ids:
            cache.delete(flag)
            # A job asked for just before the flag went saw it and queued
            # nothing: it is committed, so this second look finds it.
            if not due_registrant_jobs(event_id, share) or not cache.add(
                flag, 1, timeout=DRAIN_FLAG_SECONDS
            ):
                return ran
            continue
        for job_id in job_ids:
            ran += run_job(job_id=job_id) != "skipped"
            cache.touch(flag, DRAIN_FLAG_SECONDS)
    cache.delete(flag)
    if cache.add(flag, 1, timeout=DRAIN_FLAG_SECONDS):
        queue_task("zoomsync.tasks.drain_registrants", event_id, share)
    return ran


def due_registrant_jobs(event_id: int, share: int) -> list[int]:
    due = (
        ZoomJob.objects.filter(
            event_id=event_id,
            kind=Kind.REGISTRANT,
            state=State.PENDING,
            not_before__lte=timezone.now(),
        )
        .annotate(share=F("pk") % DRAINERS)
        .filter(share=share)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(due[:100])


def queue_task(function: str, *args) -> None:
    from django_q.tasks import async_task

    try:
        async_task(function, *args)
    except Exception:
        logger.warning("task %s %s not queued; the Zoom sweep will catch up", function, args)


def retry_jobs(*, job_ids: list[int]) -> int:
    """Try failed (or waiting) jobs again now, with a fresh count of attempts."""
    count = (
        ZoomJob.objects.filter(pk__in=job_ids)
        .exclude(state=State.RUNNING)
        .update(state=State.PENDING, attempts=0, not_before=timezone.now(), last_error="")
    )
    for job_id in job_ids:
        transaction.on_commit(lambda job_id=job_id: queue_task("zoomsync.tasks.run_job", job_id))
    return count


# Running jobs (in a background task)


def run_job(*, job_id: int) -> str:
    """Claim a job and bring Zoom in line; "done", "retry", "failed" or "skipped".

    A temporary failure (Zoom down, slow, rate-limited, 5xx) puts the job back
    with a growing delay, never sooner than a Retry-After; after the last
    delay in ZOOM_RETRY_BACKOFF, or on a permanent refusal, it stays failed
    for an organizer to retry from the admin.
    """
    now = timezone.now()
    claimed = (
        ZoomJob.objects.filter(pk=job_id)
        .filter(
            Q(state=State.PENDING, not_before__lte=now)
            | Q(state=State.RUNNING, claimed_at__lt=now - STALE_CLAIM)
        )
        .update(state=State.RUNNING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    job = ZoomJob.objects.get(pk=job_id)
    try:
        if job.kind == Kind.REGISTRANT:
            sync.sync_registrant(registration_id=job.registration_id)
        elif sync.sync_meeting(event_id=job.event_id):
            queue_missing_registrants(job.event_id)
    except sync.MeetingGone as gone:
        # Once the meeting is made anew, its job queues this registrant again.
        request_job(kind=Kind.MEETING, event_id=gone.event_id)
    except zoom.PermanentError as error:
        return _give_up(job, str(error))
    except zoom.RateLimited as error:
        return _retry_later(job, str(error), wait=error.retry_after)
    except zoom.TemporaryError as error:
        return _retry_later(job, str(error))
    except Exception as error:  # a bug or the database: try again, say what
        logger.exception("Zoom job %s broke", job_id)
        return _retry_later(job, f"{type(error).__name__}")
    return _finish(job)


def _finish(job: ZoomJob) -> str:
    done, _ = ZoomJob.objects.filter(pk=job.pk, generation=job.generation).delete()
    if not done:  # asked for again while it ran
        ZoomJob.objects.filter(pk=job.pk).update(
            state=State.PENDING, attempts=0, not_before=timezone.now()
        )
        queue_task("zoomsync.tasks.run_job", job.pk)
    return "done"


def _retry_later(job: ZoomJob, error: str, *, wait: float = 0.0) -> str:
    backoff = settings.ZOOM_RETRY_BACKOFF
    if job.attempts > len(backoff):
        return _give_up(job, error)
    delay = max(backoff[job.attempts - 1], wait)
    ZoomJob.objects.filter(pk=job.pk).update(
        state=State.PENDING,
        not_before=timezone.now() + dt.timedelta(seconds=delay),
        last_error=error[:255],
    )
    logger.info(
        "Zoom job %s: attempt %s failed (%s), next in %.1fs", job.pk, job.attempts, error, delay
    )
    return "retry"


def _give_up(job: ZoomJob, error: str) -> str:
    ZoomJob.objects.filter(pk=job.pk).update(state=State.FAILED, last_error=error[:255])
    logger.warning("Zoom job %s failed after %s attempts: %s", job.pk, job.attempts, error)
    return "failed"


def run_due_jobs(*, limit: int = 500) -> int:
    """Run the jobs whose time has come (the scheduled sweep). Returns how many ran."""
    now = timezone.now()
    due = ZoomJob.objects.filter(
        Q(state=State.PENDING, not_before__lte=now)
        | Q(state=State.RUNNING, claimed_at__lt=now - STALE_CLAIM)
    ).values_list("pk", flat=True)
    ran = sum(run_job(job_id=job_id) != "skipped" for job_id in list(due[:limit]))
    WebhookDelivery.objects.filter(received_at__lt=now - DELIVERY_MEMORY).delete()
    return ran


def forget_people(*, event) -> int:
    """What we keep about an event's people in Zoom terms, deleted when its
    personal data is (registrations.retention). Registrant rows and their
    jobs go with the registrations; webhook deliveries naming registrants
    of the meeting go here. Returns the deliveries deleted."""
    meeting_id = (
        ZoomMeeting.objects.filter(event=event).values_list("meeting_id", flat=True).first()
    )
    if meeting_id is None:
        return 0
    deleted, _ = WebhookDelivery.objects.filter(meeting_id=meeting_id).delete()
    return deleted


def queue_missing_registrants(event_id: int) -> None:
    """Queue a job for each confirmed person with an email Zoom does not have yet."""
    missing = (
        Registration.objects.filter(event_id=event_id, status=Registration.Status.CONFIRMED)
        .exclude(email="")
        .exclude(zoom__registrant_id__gt="")
        .values_list("pk", flat=True)
    )
    for registration_id in missing.iterator(chunk_size=500):
        request_job(kind=Kind.REGISTRANT, event_id=event_id, registration_id=registration_id)


# Webhooks


def record_delivery(*, digest: str, kind: str, meeting_id: int | None, registrant_id: str) -> bool:
    """Keep a webhook delivery and queue its work; False when it was seen before."""
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                digest=digest, kind=kind, meeting_id=meeting_id, registrant_id=registrant_id
            )
    except IntegrityError:
        return False
    transaction.on_commit(lambda: queue_task("zoomsync.tasks.apply_delivery", delivery.pk))
    return True


@transaction.atomic
def apply_delivery(*, delivery_id: int) -> None:
    """Count a participant in or out of the live count, once per delivery.

    Sends online_count_changed after commit. For standard events a known
    registrant is marked as having joined; anonymous events keep only counts.
    """
    if not WebhookDelivery.objects.filter(pk=delivery_id, processed=False).update(processed=True):
        return
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    record = (
        ZoomMeeting.objects.select_for_update()
        .select_related("event")
        .filter(meeting_id=delivery.meeting_id)
        .first()
    )
    if record is None:
        return
    if delivery.kind == "meeting.participant_joined":
        record.participants_now += 1
        record.participants_peak = max(record.participants_peak, record.participants_now)
        if delivery.registrant_id and not record.event.is_anonymous:
            ZoomRegistrant.objects.filter(
                registration__event_id=record.event_id,
                registrant_id=delivery.registrant_id,
                attended_at__isnull=True,
            ).update(attended_at=delivery.received_at)
    elif delivery.kind == "meeting.participant_left":
        record.participants_now = max(record.participants_now - 1, 0)
    elif delivery.kind == "meeting.ended":
        record.participants_now = 0
    else:
        return
    record.save(update_fields=["participants_now", "participants_peak"])
    event, now, peak = record.event, record.participants_now, record.participants_peak
    transaction.on_commit(
        lambda: event_signals.online_count_changed.send_robust(
            sender=ZoomMeeting, event=event, now=now, peak=peak
        )
    )
