"""Organizations, campaigns, venues and events: the public catalogue."""

import datetime as dt
import zoneinfo
from functools import lru_cache
from urllib.parse import quote_plus

from django.conf import global_settings, settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import recurrence, signals

DEFAULT_TIME_ZONE = "America/Toronto"
# Organizers may write event content in any language Django knows (Arabic,
# Farsi, Tagalog...), not only in the languages of the site's menus.
CONTENT_LANGUAGES = global_settings.LANGUAGES
MIN_YEAR, MAX_YEAR = 2000, 2100


@lru_cache(maxsize=1)
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(
            _("%(zone)s is not a known time zone. Use a name like America/Toronto."),
            params={"zone": value},
            code="invalid_time_zone",
        )


LOCAL_TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


def wall_clock_to_aware(value: dt.datetime, zone_name: str) -> dt.datetime:
    """Read a naive date and time on the wall clock of ``zone_name``.

    A time skipped when clocks spring forward does not exist there and is
    refused; a time that happens twice in autumn means its first occurrence.
    """
    check_year(value)
    zone = zoneinfo.ZoneInfo(zone_name)
    aware = value.replace(tzinfo=zone, fold=0)
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise ValidationError(
            _(
                "%(time)s does not exist on %(date)s in %(zone)s: the clocks jump forward "
                "that night. Choose a time an hour later."
            ),
            params={
                "time": value.strftime("%H:%M"),
                "date": value.date().isoformat(),
                "zone": zone_name,
            },
            code="nonexistent_time",
        )
    return aware


def check_year(value: dt.datetime) -> None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("Give a date between the years %(min)s and %(max)s."),
            params={"min": MIN_YEAR, "max": MAX_YEAR},
            code="year_out_of_range",
        )


def rebase_times(event: "Event", *, old_zone: str, fields=LOCAL_TIME_FIELDS) -> None:
    """Keep the event's wall-clock times when only its zone changes ("noon stays noon")."""
    for name in fields:
        value = getattr(event, name)
        if value is not None:
            local = value.astimezone(zoneinfo.ZoneInfo(old_zone)).replace(tzinfo=None)
            setattr(event, name, wall_clock_to_aware(local, event.timezone))


def validate_recurrence(value: str) -> None:
    if not value:
        return
    try:
        recurrence.build_rule(value, dt.datetime(2000, 1, 1))
    except recurrence.RecurrenceError as error:
        raise ValidationError(str(error), code="invalid_recurrence") from None


def validate_exceptions(value: str) -> None:
    try:
        recurrence.parse_exceptions(value)
    except recurrence.RecurrenceError as error:
        raise ValidationError(str(error), code="invalid_exceptions") from None


# Languages Django has no name for (or none under these codes), named here so
# that our catalogs translate them.
LANGUAGE_NAMES = {
    "am": _("Amharic"),
    "ase": _("American Sign Language (ASL)"),
    "cmn": _("Mandarin"),
    "fcs": _("Quebec Sign Language (LSQ)"),
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "tl": _("Tagalog"),
    "yue": _("Cantonese"),
}


class Language(models.Model):
    """A spoken or sign language people can ask for or an event can offer."""

    code = models.CharField(_("code"), max_length=16, primary_key=True)
    name = models.CharField(_("name in English"), max_length=64)
    native_name = models.CharField(_("name in the language itself"), max_length=64)
    is_sign_language = models.BooleanField(_("sign language"), default=False)
    zoom_name = models.CharField(
        _("name in Zoom"),
        max_length=64,
        blank=True,
        help_text=_("Empty when it must be added as a custom language in the Zoom account."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        """Its name in the active language, with its own name beside it when
        that differs: "Spanish (Español)", "ਸਪੇਨੀ (Español)"."""
        from events.content import language_info

        name = str(
            LANGUAGE_NAMES.get(self.code)
            or language_info(self.code).get("name_translated")
            or self.name
        )
        if self.native_name and self.native_name.casefold() not in name.casefold():
            return f"{name} ({self.native_name})"
        return name


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )
    personal_data_days = models.PositiveSmallIntegerField(
        _("days personal data is kept after an event"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Names, e-mails and everything else people gave are deleted this many days "
            "after each event ends; only counts are kept. Anonymous events: always within "
            "24 hours."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ORGANIZER = "organizer", _("Organizer")
    INTERPRETATION_COORDINATOR = "coordinator", _("Interpretation coordinator")
    MARSHAL = "marshal", _("Marshal")


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class Campaign(models.Model):
    """A day (or days) of action grouping events in several cities."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        ordering = ["starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_on_or_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:campaign", kwargs={"slug": self.slug})


class Venue(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="venues",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    unit = models.CharField(_("unit or suite"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=100)
    province = models.CharField(_("province"), max_length=50, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    directions = models.TextField(
        _("directions"), blank=True, help_text=_('For example "closest to entrance 93".')
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(
                        latitude__isnull=False,
                        longitude__isnull=False,
                        latitude__gte=-90,
                        latitude__lte=90,
                        longitude__gte=-180,
                        longitude__lte=180,
                    )
                ),
                name="venue_coordinates_valid",
                violation_error_message=_(
                    "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    def clean(self) -> None:
        moved_away = self.pk is not None and self.organization_id is not None
        if moved_away and self.events.exclude(organization_id=self.organization_id).exists():
            raise ValidationError(
                {"organization": _("Events of another organization use this venue.")}
            )

    @property
    def address_lines(self) -> list[str]:
        street = ", ".join(part for part in [self.unit, self.street_address] if part)
        place = " ".join(part for part in [self.city, self.province] if part)
        locality = "  ".join(part for part in [place, self.postal_code] if part)
        return [line for line in [self.name, street, locality] if line]

    @property
    def full_address(self) -> str:
        return ", ".join(self.address_lines)

    @property
    def map_url(self) -> str:
        """A link to OpenStreetMap; nothing is embedded or loaded from there."""
        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=17/{self.latitude}/{self.longitude}"
            )
        query = ", ".join(
            part
            for part in [self.street_address, self.city, self.province, self.postal_code]
            if part
        )
        return f"https://www.openstreetmap.org/search?query={quote_plus(query)}"


class EventQuerySet(models.QuerySet):
    def listed(self) -> "EventQuerySet":
        return self.filter(visibility=Event.Visibility.LISTED)

    def upcoming(self, now: dt.datetime | None = None) -> "EventQuerySet":
        now = now or timezone.now()
        return self.filter(last_ends_at__gte=now)


class Event(models.Model):
    class Kind(models.TextChoices):
        RALLY = "rally", _("Rally")
        MARCH = "march", _("March")
        VIGIL = "vigil", _("Vigil")
        PROTEST_CAMP = "camp", _("Protest camp")
        ART_PARTY = "art", _("Art party or workshop")
        ASSEMBLY = "assembly", _("Assembly")
        INFORMATION_SESSION = "info", _("Information or legal session")
        PETITION_DELIVERY = "petition", _("Petition delivery")
        PRESS_EVENT = "press", _("Press event")
        OTHER = "other", _("Other")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class Visibility(models.TextChoices):
        LISTED = "listed", _("Listed: on the public list")
        UNLISTED = "unlisted", _("Unlisted: only people with the address")
        DRAFT = "draft", _("Draft: only your organization")

    class Privacy(models.TextChoices):
        STANDARD = "standard", _("Standard")
        ANONYMOUS = "anonymous", _("Anonymous: no names, nothing kept after the event")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("organization"),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("campaign"),
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("venue"),
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Where the event is held, e.g. America/Vancouver."),
    )
    recurrence = models.CharField(
        _("repeats"),
        max_length=255,
        blank=True,
        validators=[validate_recurrence],
        help_text=_("An iCalendar RRULE, e.g. FREQ=DAILY;COUNT=18 for 18 nights."),
    )
    recurrence_exceptions = models.TextField(
        _("skipped dates"),
        blank=True,
        validators=[validate_exceptions],
        help_text=_("Dates without a gathering, as YYYY-MM-DD, separated by commas."),
    )
    last_ends_at = models.DateTimeField(
        _("last occurrence ends"), null=True, blank=True, editable=False, db_index=True
    )
    drop_in = models.BooleanField(_("drop in any time"), default=False)
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.IN_PERSON
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    has_waitlist = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the event is full, people can join a waiting list."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    status_reason = models.TextField(
        _("public reason for the status"),
        blank=True,
        help_text=_("Shown to everyone when the event is postponed or cancelled."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.DRAFT
    )
    privacy = models.CharField(
        _("privacy"), max_length=16, choices=Privacy.choices, default=Privacy.STANDARD
    )
    language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        related_name="events_spoken",
        verbose_name=_("spoken language"),
        default="en",
    )
    interpretation_languages = models.ManyToManyField(
        Language,
        blank=True,
        related_name="events_interpreted",
        verbose_name=_("interpretation offered into"),
    )
    contacts = models.TextField(
        _("public contacts"), blank=True, help_text=_("Shown to everyone, one per line.")
    )
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    content_language = models.CharField(
        _("content language"),
        max_length=16,
        choices=CONTENT_LANGUAGES,
        default="en",
        help_text=_("The language the title, description and directions are written in."),
    )
    require_name = models.BooleanField(
        _("ask for a name"),
        default=False,
        help_text=_("Standard events only; anonymous events never ask for a name."),
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up whenever the time, place or status changes."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["visibility", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="event_capacity_not_negative",
                violation_error_message=_("Capacity cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(registration_opens_at__isnull=True)
                    | Q(registration_closes_at__isnull=True)
                    | Q(registration_closes_at__gt=models.F("registration_opens_at"))
                ),
                name="event_registration_window_ordered",
                violation_error_message=_("Registration must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.last_ends_at = self.compute_last_ends_at()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "last_ends_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    def compute_last_ends_at(self) -> dt.datetime:
        if not self.recurrence:
            return self.ends_at
        return self.last_occurrence()[1]

    def last_occurrence(self) -> tuple[dt.datetime, dt.datetime]:
        return recurrence.last_occurrence(
            start=self.starts_at,
            end=self.ends_at,
            zone=self.timezone,
            rule=self.recurrence,
            exceptions=self.recurrence_exceptions,
        )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> dt.datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_recurring(self) -> bool:
        return bool(self.recurrence)

    @property
    def is_online(self) -> bool:
        return self.format in {self.Format.ONLINE, self.Format.HYBRID}

    @property
    def is_anonymous(self) -> bool:
        return self.privacy == self.Privacy.ANONYMOUS

    def occurrences(self, *, after=None, limit=None) -> list[tuple[dt.datetime, dt.datetime]]:
        """(start, end) of each occurrence, aware in the event's zone."""
        return recurrence.occurrences(
            start=self.starts_at,
            end=self.ends_at,
            zone=self.timezone,
            rule=self.recurrence,
            exceptions=self.recurrence_exceptions,
            after=after,
            limit=limit,
        )

    def next_occurrence(self, now=None) -> tuple[dt.datetime, dt.datetime] | None:
        found = self.occurrences(after=now or timezone.now(), limit=1)
        return found[0] if found else None

    def clean(self) -> None:
        errors = {}
        for name in LOCAL_TIME_FIELDS:
            value = getattr(self, name)
            if value is not None:
                try:
                    check_year(value)
                except ValidationError as error:
                    errors[name] = error.messages
        if errors:
            raise ValidationError(errors)
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.recurrence and self.starts_at and self.timezone in known_time_zones():
            try:
                recurrence.check_rule_matches_start(
                    self.recurrence, self.starts_at.astimezone(self.zone).replace(tzinfo=None)
                )
            except recurrence.RecurrenceError as error:
                errors["recurrence"] = str(error)
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if self.status != self.Status.SCHEDULED and not self.status_reason.strip():
            errors["status_reason"] = _("Tell people why the event is postponed or cancelled.")
        if self.venue_id and self.venue.organization_id != self.organization_id:
            errors["venue"] = _("Choose a venue of the same organization.")
        if self.format == self.Format.IN_PERSON and self.venue_id is None:
            errors["venue"] = _("An in-person event needs a venue.")
        if self.pk is not None and self.capacity is not None and "capacity" not in errors:
            try:
                signals.capacity_requested.send(sender=Event, event=self, capacity=self.capacity)
            except ValidationError as error:
                errors["capacity"] = error.messages
        if errors:
            raise ValidationError(errors)


class EventUpdate(models.Model):
    """A public, timestamped note on an event ("check regularly for updates")."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="updates", verbose_name=_("event")
    )
    body = models.TextField(_("update"))
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")

    def __str__(self) -> str:
        return self.body[:60]


class EventTranslation(models.Model):
    """The title, description and directions of an event in another language."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="translations", verbose_name=_("event")
    )
    language = models.CharField(_("language"), max_length=16, choices=CONTENT_LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    directions = models.TextField(
        _("directions"), blank=True, help_text=_("Empty to show the venue's directions.")
    )

    class Meta:
        ordering = ["language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations into other languages")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"],
                name="event_translation_unique_language",
                violation_error_message=_(
                    "This event already has a translation into this language."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.title}"


class EventUpdateTranslation(models.Model):
    """An update in another language."""

    update = models.ForeignKey(
        EventUpdate, on_delete=models.CASCADE, related_name="translations", verbose_name=_("update")
    )
    language = models.CharField(_("language"), max_length=16, choices=CONTENT_LANGUAGES)
    body = models.TextField(_("update"))

    class Meta:
        ordering = ["language"]
        verbose_name = _("translated update")
        verbose_name_plural = _("translated updates")
        constraints = [
            models.UniqueConstraint(
                fields=["update", "language"], name="event_update_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class HttpsURLField(models.URLField):
    """A URL field whose form reads "meet.example.org/j/1" as https://."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class OnlineMeeting(models.Model):
    """Where an online or hybrid event happens: a secret link, shown late.

    The join link and passcode appear on a registrant's manage page only
    inside the reveal window, never on public pages.
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="meeting")
    join_url = HttpsURLField(_("join link"), max_length=500, blank=True)
    passcode = models.CharField(_("passcode"), max_length=64, blank=True)
    reveal_minutes_before = models.PositiveIntegerField(
        _("show the link this many minutes before the start"), default=30
    )
    share_in_calendars = models.BooleanField(
        _("put the link in registrants' personal calendars"),
        default=False,
        help_text=_("Standard events only: anonymous events never put it in a calendar."),
    )

    class Meta:
        verbose_name = _("online meeting")
        verbose_name_plural = _("online meetings")

    def __str__(self) -> str:
        return str(self.event)

    def reveal_window(self, occurrence_start: dt.datetime, occurrence_end: dt.datetime):
        """(opens, closes) of the link for one occurrence."""
        return occurrence_start - dt.timedelta(minutes=self.reveal_minutes_before), occurrence_end
