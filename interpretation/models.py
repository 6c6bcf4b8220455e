"""Interpreters, the language pairs and hours they work, and their assignments."""

import datetime as dt
import zoneinfo

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import DEFAULT_TIME_ZONE, Event, Language, Organization, validate_time_zone


class Interpreter(models.Model):
    """A person who interprets for an organization's events.

    Their page and calendar open with a secret link; only its hash is kept.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="interpreters",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Where the interpreter lives: availability is read on this clock."),
    )
    # One of settings.LANGUAGES (checked by forms, not stored as choices, so
    # adding a site language needs no migration).
    message_language = models.CharField(_("messages in"), max_length=8, default="en")
    simultaneous_online = models.BooleanField(_("simultaneous, online"), default=False)
    whisper = models.BooleanField(_("whispered (chuchotage)"), default=False)
    consecutive = models.BooleanField(_("consecutive"), default=False)
    sign = models.BooleanField(_("sign language"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                name="interpreter_one_per_email",
                violation_error_message=_(
                    "Another interpreter of this organization has this e-mail."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def modes(self) -> set[str]:
        return {mode for mode in Mode.values if getattr(self, mode)}


class Mode(models.TextChoices):
    """Ways of interpreting; each is a flag on the interpreter."""

    SIMULTANEOUS_ONLINE = "simultaneous_online", _("simultaneous, online")
    WHISPER = "whisper", _("whispered")
    CONSECUTIVE = "consecutive", _("consecutive")
    SIGN = "sign", _("sign language")


class LanguagePair(models.Model):
    """From one language into another, or both ways."""

    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.CASCADE, related_name="pairs", verbose_name=_("interpreter")
    )
    source = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("into")
    )
    both_ways = models.BooleanField(_("both ways"), default=True)

    class Meta:
        ordering = ["source_id", "target_id"]
        verbose_name = _("language pair")
        verbose_name_plural = _("language pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["interpreter", "source", "target"], name="language_pair_once"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")),
                name="language_pair_two_languages",
                violation_error_message=_("A pair needs two different languages."),
            ),
        ]

    def __str__(self) -> str:
        arrow = "↔" if self.both_ways else "→"
        return f"{self.source_id} {arrow} {self.target_id}"

    def covers(self, source: str, target: str) -> bool:
        if (self.source_id, self.target_id) == (source, target):
            return True
        return self.both_ways and (self.source_id, self.target_id) == (target, source)


class Availability(models.Model):
    """Hours an interpreter can work, on their own clock: every week or one date."""

    interpreter = models.ForeignKey(
        Interpreter,
        on_delete=models.CASCADE,
        related_name="availability",
        verbose_name=_("interpreter"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("every week on"),
        null=True,
        blank=True,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    date = models.DateField(_("or on this date"), null=True, blank=True)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        ordering = ["date", "weekday", "starts"]
        verbose_name = _("available hours")
        verbose_name_plural = _("available hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")),
                name="availability_ends_after_start",
                violation_error_message=_(
                    "The hours must end after they start (split a night across two days)."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(weekday__isnull=False, date__isnull=True)
                    | Q(weekday__isnull=True, date__isnull=False)
                ),
                name="availability_weekday_or_date",
                violation_error_message=_("Give either a day of the week or a date, not both."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__gte=0, weekday__lte=6),
                name="availability_weekday_valid",
            ),
        ]

    def __str__(self) -> str:
        day = self.date.isoformat() if self.date else self.get_weekday_display()
        return f"{day} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def contains(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether a stretch of time, given on the interpreter's clock, fits inside."""
        day = start.date()
        if end.date() != day:
            # Only an end at midnight may fall on the next day: it needs hours
            # that run to the end of the day.
            at_midnight = end.time() == dt.time(0) and end.date() == day + dt.timedelta(days=1)
            return (
                at_midnight
                and self._covers_day(day)
                and self.starts <= start.time()
                and (self.ends >= END_OF_DAY)
            )
        return self._covers_day(day) and self.starts <= start.time() and end.time() <= self.ends

    def _covers_day(self, day: dt.date) -> bool:
        if self.date is not None:
            return self.date == day
        return self.weekday == day.weekday()


END_OF_DAY = dt.time(23, 59)


class Plan(models.Model):
    """An event's interpretation settings (made on first use, defaults otherwise)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="interpretation_plan"
    )
    request_threshold = models.PositiveSmallIntegerField(
        _("flag a language asked for by at least"),
        default=1,
        help_text=_("Registrants asking for a language the event does not offer."),
    )
    travel_buffer_minutes = models.PositiveSmallIntegerField(
        _("travel time between in-person assignments (minutes)"), default=30
    )
    # The event's sequence that interpreters were last told about.
    notified_sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("interpretation plan")
        verbose_name_plural = _("interpretation plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(request_threshold__gte=1), name="plan_threshold_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)


DEFAULT_THRESHOLD = 1
DEFAULT_TRAVEL_BUFFER = 30


class Assignment(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        RELIEF = "relief", _("Relief")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    interpreter = models.ForeignKey(
        Interpreter,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("interpreter"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="interpretation_assignments",
        verbose_name=_("event"),
    )
    source = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("into")
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.LEAD)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    ACTIVE = (Status.PROPOSED, Status.INVITED, Status.ACCEPTED)

    class Meta:
        ordering = ["event__starts_at", "target_id", "role", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["interpreter", "event"],
                condition=Q(status__in=["proposed", "invited", "accepted"]),
                name="assignment_once_per_event",
                violation_error_message=_("This interpreter is already on this event."),
            ),
            models.UniqueConstraint(
                fields=["event", "target"],
                condition=Q(role="lead", status__in=["proposed", "invited", "accepted"]),
                name="assignment_one_lead_per_language",
                violation_error_message=_("This language already has a lead interpreter."),
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")),
                name="assignment_two_languages",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interpreter} · {self.event} · {self.source_id}→{self.target_id}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
