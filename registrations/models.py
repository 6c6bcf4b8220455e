"""Registrations, the seats they take, and the messages sent about them."""

import hashlib

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, Language

MAX_PARTY_SIZE = 10


def token_hash(token: str) -> str:
    """The stored form of a secret token: tokens are random enough that a plain
    SHA-256 cannot be reversed, and the hash alone opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class Seats(models.Model):
    """The one row per event that every seat change goes through.

    ``capacity`` mirrors the event's capacity under this row's lock, so a
    single conditional UPDATE can take seats without reading the event.
    ``confirmed`` is the number of people (party sizes summed) confirmed.
    """

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, primary_key=True, related_name="seats"
    )
    capacity = models.PositiveIntegerField(null=True, blank=True)
    confirmed = models.PositiveIntegerField(default=0)
    # The event's sequence that registrants were last told about.
    notified_sequence = models.PositiveIntegerField(default=0)
    # Registrations in the waiting line, kept under this row's lock, so a
    # person joining learns their place without counting the line.
    waiting = models.PositiveIntegerField(default=0)
    # Whether the last registration that went through this row got a seat.
    # The one-statement registration sets it and reads it back under the
    # row's lock (RETURNING shows new values only), so that one UPDATE both
    # decides "seat or waiting line" and tells which.
    last_seated = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("seats")
        verbose_name_plural = _("seats")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(confirmed__lte=models.F("capacity")),
                name="seats_confirmed_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.confirmed}/{self.capacity if self.capacity is not None else '∞'}"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    party_size = models.PositiveSmallIntegerField(_("people"), default=1)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # Keyed hash of the normalized email: finds "the same person" without
    # searching by address.
    email_key = models.CharField(max_length=64, blank=True, editable=False)
    interpretation_language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interpretation needed into"),
        # Every index is written on each registration; languages are read
        # per event (the event's index), so this one would only cost.
        db_index=False,
    )
    message_language = models.CharField(_("messages in"), max_length=8, default="en")
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    consent_to_updates = models.BooleanField(_("agrees to receive updates"), default=False)
    # Unique through a constraint in Meta: unique=True would add a second,
    # pattern-matching index on PostgreSQL that no query uses.
    manage_token_hash = models.CharField(max_length=64, editable=False)
    # A second manage link, e-mailed when someone registers again with the same
    # address: it opens the registration without revoking the first link, so
    # knowing a person's address is not enough to cut them off.
    spare_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The personal calendar feed has its own secret, made on request.
    feed_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(
                fields=["event", "created_at", "id"],
                condition=Q(status="waitlisted"),
                name="registration_waiting_line",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_size__gte=1, party_size__lte=MAX_PARTY_SIZE),
                name="registration_party_size_1_to_10",
            ),
            models.UniqueConstraint(
                fields=["event", "email_key"],
                condition=~Q(email_key="") & ~Q(status="cancelled"),
                name="registration_one_per_email",
            ),
            models.UniqueConstraint(
                fields=["manage_token_hash"], name="registration_manage_token_unique"
            ),
            models.UniqueConstraint(
                fields=["spare_token_hash"],
                condition=~Q(spare_token_hash=""),
                name="registration_spare_token_unique",
            ),
            models.UniqueConstraint(
                fields=["feed_token_hash"],
                condition=~Q(feed_token_hash=""),
                name="registration_feed_token_unique",
            ),
            models.UniqueConstraint(
                fields=["event", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="registration_idempotency_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_status_display()} · {self.party_size}"


class OutboundMessage(models.Model):
    """An e-mail waiting to be sent by a background task, then deleted.

    The body may carry a secret link, so the row lives only until it is sent.
    """

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    # An invitation, update or cancellation for calendar apps (iCalendar text).
    calendar = models.TextField(blank=True)
    calendar_method = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("message waiting to be sent")
        verbose_name_plural = _("messages waiting to be sent")

    def __str__(self) -> str:
        return self.subject


class Tally(models.Model):
    """What is kept of an event's registrations once their personal data is
    deleted: counts only (see registrations.retention)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    confirmed_people = models.PositiveIntegerField(default=0)
    waitlisted_people = models.PositiveIntegerField(default=0)
    confirmed_registrations = models.PositiveIntegerField(default=0)
    waitlisted_registrations = models.PositiveIntegerField(default=0)
    cancelled_registrations = models.PositiveIntegerField(default=0)
    checked_in_people = models.PositiveIntegerField(default=0)
    # People (party sizes summed) who asked for interpretation, per language code.
    languages_needed = models.JSONField(default=dict)
    purged_at = models.DateTimeField()

    class Meta:
        verbose_name = _("counts kept after deletion")
        verbose_name_plural = _("counts kept after deletion")

    def __str__(self) -> str:
        return str(self.event)
