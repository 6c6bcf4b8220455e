"""Our side of Zoom: which meeting an event has, which registrant a person is,
the Zoom work still to do, and the webhook deliveries already seen."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event
from registrations.models import Registration


class ZoomMeeting(models.Model):
    """The Zoom meeting of an online or hybrid event.

    The join link and passcode live in ``events.OnlineMeeting``, like a link
    typed by hand, so the manage page's reveal window treats both the same.
    """

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="zoom", verbose_name=_("event")
    )
    meeting_id = models.BigIntegerField(_("Zoom meeting ID"), null=True, blank=True, unique=True)
    # Written into the meeting's agenda, to find a meeting whose creation
    # answer was lost (Zoom has no idempotency key).
    reference = models.CharField(max_length=32, unique=True, editable=False)
    create_attempted = models.BooleanField(default=False, editable=False)
    uses_registration = models.BooleanField(_("Zoom registration"), default=False)
    # The accepted interpreters as the interpretation app last sent them:
    # [[email, source code, target code], ...].
    interpreters = models.JSONField(default=list, blank=True, editable=False)
    interpretation_applied = models.BooleanField(
        _("interpretation applied by Zoom"),
        default=True,
        help_text=_("Off when Zoom ignored the interpretation settings (the plan lacks them)."),
    )
    synced_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    participants_now = models.PositiveIntegerField(_("in the meeting now"), default=0)
    participants_peak = models.PositiveIntegerField(_("most at once"), default=0)

    class Meta:
        verbose_name = _("Zoom meeting")
        verbose_name_plural = _("Zoom meetings")

    def __str__(self) -> str:
        return str(self.event)


class ZoomRegistrant(models.Model):
    """A person registered in Zoom (standard events only): their personal link."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="zoom", verbose_name=_("registration")
    )
    registrant_id = models.CharField(max_length=64, blank=True)
    join_url = models.URLField(_("personal join link"), max_length=1000, blank=True)
    add_attempted = models.BooleanField(default=False, editable=False)
    attended_at = models.DateTimeField(_("joined the meeting"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zoom registrant")
        verbose_name_plural = _("Zoom registrants")

    def __str__(self) -> str:
        return str(self.registration)


class ZoomJob(models.Model):
    """Zoom work to do for one meeting or one registrant.

    A job brings Zoom in line with what the database says now, so it can run
    any number of times. It is deleted when done; one that gave up stays,
    failed, for an organizer to retry.
    """

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        REGISTRANT = "registrant", _("Registrant")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="zoom_jobs", verbose_name=_("event")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="zoom_jobs"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    # Goes up with each request for the work, so a run that started before
    # the latest change does not count as done.
    generation = models.PositiveIntegerField(default=1)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    not_before = models.DateTimeField(_("next attempt"), db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ["not_before", "pk"]
        verbose_name = _("Zoom job")
        verbose_name_plural = _("Zoom jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="meeting", registration__isnull=True)
                | Q(kind="registrant", registration__isnull=False),
                name="zoomjob_kind_matches_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.event}"


class WebhookDelivery(models.Model):
    """A webhook event seen once: only what counting needs, no names.

    Zoom redelivers unanswered events; the digest of the raw body recognises
    a delivery already taken.
    """

    digest = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=64)
    meeting_id = models.BigIntegerField(null=True)
    registrant_id = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Zoom webhook delivery")
        verbose_name_plural = _("Zoom webhook deliveries")

    def __str__(self) -> str:
        return self.kind
