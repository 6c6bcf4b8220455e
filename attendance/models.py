"""Headcounts: who came (check-ins), how many are there (marshals' taps, online
counts), and what registrants were told (reminders and updates, once each).

Occurrences of a recurring event are named by their start (an aware
datetime); a one-off event has one occurrence, its start.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, EventUpdate
from registrations.models import Registration


class MarshalAssignment(models.Model):
    """A marshal may count and check people in at this event, and nothing else."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="marshal_assignments", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="marshal_assignments",
        verbose_name=_("marshal"),
    )
    gate = models.CharField(
        _("gate or door"), max_length=80, blank=True, help_text=_("For example “north gate”.")
    )

    class Meta:
        verbose_name = _("marshal assignment")
        verbose_name_plural = _("marshal assignments")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="marshal_assigned_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


class CheckinCode(models.Model):
    """The short code a registrant shows at the door (typed or as a QR code).

    The code itself is not stored: it is computed from ``nonce`` with the
    site's secret key, and found again by ``code_hash`` (a keyed hash). It has
    nothing to do with the manage token, so neither can be derived from the other.
    """

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, primary_key=True, related_name="checkin_code"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("check-in code")
        verbose_name_plural = _("check-in codes")
        constraints = [
            models.UniqueConstraint(fields=["event", "code_hash"], name="checkin_code_unique"),
        ]

    def __str__(self) -> str:
        return str(self.registration_id)


class CheckIn(models.Model):
    """A registration's party came to one occurrence. At most once per occurrence.

    When the registration's personal data is deleted (registrations.retention)
    the check-in stays, unlinked: a count of people at a time, nothing more.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkins")
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, related_name="checkins"
    )
    occurrence = models.DateTimeField(_("occurrence"))
    people = models.PositiveSmallIntegerField(_("people"))
    checked_in_at = models.DateTimeField(_("checked in"))

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "occurrence"], name="checkin_once_per_occurrence"
            ),
        ]
        indexes = [models.Index(fields=["event", "occurrence"])]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.occurrence:%Y-%m-%d %H:%M}"


class Tap(models.Model):
    """One press of a marshal's +1 or −1 button, kept so a retry counts once.

    ``tap_id`` is made on the phone; the unique constraint turns a retried or
    replayed tap into a no-op.
    """

    class Direction(models.TextChoices):
        IN = "in", _("Entry")
        OUT = "out", _("Exit")

    # Every index is written on each tap; taps are only read through their
    # unique (event, tap id) index (totals come from TallyCount), which also
    # serves the event's deletion.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="taps", db_index=False)
    occurrence = models.DateTimeField(_("occurrence"))
    tap_id = models.CharField(max_length=64)
    device = models.CharField(_("device"), max_length=64)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    delta = models.SmallIntegerField(
        _("change"), validators=[MinValueValidator(-1), MaxValueValidator(1)]
    )
    tapped_at = models.DateTimeField(_("tapped"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("tap")
        verbose_name_plural = _("taps")
        constraints = [
            models.UniqueConstraint(fields=["event", "tap_id"], name="tap_counted_once"),
            models.CheckConstraint(condition=Q(delta__in=[-1, 1]), name="tap_delta_one"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.delta:+d}"


class TallyCount(models.Model):
    """The running sum of one device's taps in one direction, kept with the taps.

    Updated in the transaction that stores new taps, only by the taps that
    were new, so it always equals the sum of the Tap rows; the dashboards read
    these few rows instead of summing every tap.
    """

    # Found through the unique (event, occurrence, device, direction) index.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="tally_counts", db_index=False
    )
    occurrence = models.DateTimeField(_("occurrence"))
    device = models.CharField(_("device"), max_length=64)
    direction = models.CharField(_("direction"), max_length=3, choices=Tap.Direction.choices)
    total = models.IntegerField(_("total"), default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "occurrence", "device", "direction"], name="tally_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.total}"


class OnlineCount(models.Model):
    """People in the online meeting of one occurrence: now, and the most at once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="online_counts")
    occurrence = models.DateTimeField(_("occurrence"))
    now = models.PositiveIntegerField(_("online now"), default=0)
    peak = models.PositiveIntegerField(_("online at peak"), default=0)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("online count")
        verbose_name_plural = _("online counts")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "occurrence"], name="online_count_per_occurrence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.now} / {self.peak}"


class ReminderPlan(models.Model):
    """When reminders go out for an event; without a row, the defaults apply."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, primary_key=True, related_name="reminder_plan"
    )
    hours_before = models.CharField(
        _("hours before the start"),
        max_length=60,
        default="24, 1",
        help_text=_("Separated by commas, e.g. “24, 1”. Leave empty for no reminders."),
    )
    include_join_link = models.BooleanField(
        _("put the join link in reminders"),
        default=False,
        help_text=_("Standard online events only; anonymous events never get it by e-mail."),
    )

    class Meta:
        verbose_name = _("reminder plan")
        verbose_name_plural = _("reminder plans")

    def __str__(self) -> str:
        return self.hours_before


class UpdateNotice(models.Model):
    """An update the organizer asked to send to registrants by e-mail."""

    update = models.OneToOneField(
        EventUpdate, on_delete=models.CASCADE, primary_key=True, related_name="notice"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("update sent to registrants")
        verbose_name_plural = _("updates sent to registrants")

    def __str__(self) -> str:
        return str(self.update_id)


class Delivery(models.Model):
    """A message about ``key`` was queued for this registration: never again.

    Keys: ``reminder:<occurrence>:<hours>`` and ``update:<id>``.
    """

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="deliveries"
    )
    key = models.CharField(max_length=80)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message queued")
        verbose_name_plural = _("messages queued")
        constraints = [
            models.UniqueConstraint(fields=["registration", "key"], name="delivery_once"),
        ]

    def __str__(self) -> str:
        return self.key
