"""Demo data for a migrant-rights group in Toronto, dated relative to today.

Loaded by ``manage.py load_demo`` through the same services organizers use.
Running it again the same day changes nothing; on a later day it moves the
dates forward so the demo always has upcoming events. Every person and
contact here is invented (example.org addresses, 555 phone numbers).
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from events import services, zoom
from events.models import (
    Campaign,
    Event,
    EventTranslation,
    EventUpdate,
    Language,
    Organization,
    Venue,
)

TORONTO = "America/Toronto"


@dataclass
class DemoEvent:
    slug: str
    title: str
    kind: str
    day: int  # days from today
    start: tuple[int, int]
    end: tuple[int, int]
    venue: str | None
    zone: str = TORONTO
    days_long: int = 0
    organization: str = "migrant-rights-toronto"
    extra: dict = field(default_factory=dict)
    interpretation: tuple[str, ...] = ()
    in_campaign: bool = False


ORGANIZATIONS = {
    "migrant-rights-toronto": "Migrant Rights Network Toronto (demo)",
    "solidarite-montreal": "Solidarité sans statut Montréal (demo)",
}

VENUES = {
    "camp": dict(
        name="Protest camp outside the immigration enforcement office",
        street_address="Airport Road at Courtneypark Drive",
        city="Mississauga",
        province="ON",
        directions="On the grass closest to entrance 93. Look for the yellow banners.",
    ),
    "studio": dict(
        name="Community arts studio",
        unit="Suite 302",
        street_address="401 Spadina Avenue",
        city="Toronto",
        province="ON",
        postal_code="M5T 2G6",
        directions="Elevator at the back of the lobby. Buzz 302.",
        latitude="43.656300",
        longitude="-79.398900",
    ),
    "clinic": dict(
        name="Community legal clinic",
        unit="Unit 4",
        street_address="1200 Bloor Street West",
        city="Toronto",
        province="ON",
        directions="Step-free entrance on the side street.",
    ),
    "toronto-park": dict(
        name="Christie Pits Park",
        street_address="750 Bloor Street West",
        city="Toronto",
        province="ON",
        directions="Meet at the north-east corner, by the hill.",
        latitude="43.664700",
        longitude="-79.420400",
    ),
    "sudbury": dict(
        name="Memorial Park", street_address="Brady Street", city="Sudbury", province="ON"
    ),
    "niagara": dict(
        name="Queen Victoria Park",
        street_address="Niagara Parkway",
        city="Niagara Falls",
        province="ON",
    ),
    "edmonton": dict(
        name="Sir Winston Churchill Square",
        street_address="99 Street NW",
        city="Edmonton",
        province="AB",
    ),
    "vancouver": dict(
        name="Vancouver Art Gallery north plaza",
        street_address="800 West Georgia Street",
        city="Vancouver",
        province="BC",
    ),
    "victoria": dict(
        name="Legislature lawn",
        street_address="501 Belleville Street",
        city="Victoria",
        province="BC",
    ),
    "st-johns": dict(
        name="Harbourside Park",
        street_address="Water Street",
        city="St. John's",
        province="NL",
    ),
    "montreal": dict(
        name="Parc Jarry",
        street_address="285 rue Gary-Carter",
        city="Montréal",
        province="QC",
        organization="solidarite-montreal",
    ),
}

CAMPAIGN = dict(
    slug="status-for-all",
    name="Status for All: day of action",
    description=(
        "Rallies and vigils in eight cities on the same days: regularization for all "
        "undocumented people, now. Find the action near you."
    ),
)
CAMPAIGN_DAY = 10  # days from today

DAY_OF_ACTION = [
    DemoEvent(
        "status-for-all-toronto-rally",
        "Status for All rally: Toronto",
        "rally",
        CAMPAIGN_DAY,
        (12, 0),
        (14, 0),
        "toronto-park",
        interpretation=("es", "pa"),
    ),
    DemoEvent(
        "status-for-all-toronto-vigil",
        "Vigil for those we lost: Toronto",
        "vigil",
        CAMPAIGN_DAY,
        (16, 30),
        (17, 30),
        "toronto-park",
    ),
    DemoEvent(
        "status-for-all-montreal",
        "Manifestation : Un statut pour toutes et tous",
        "rally",
        CAMPAIGN_DAY,
        (12, 0),
        (14, 0),
        "montreal",
        organization="solidarite-montreal",
        # Written in French, by the Montréal group, on Montréal's clock (the
        # same as Toronto's, named for the city people read it in).
        zone="America/Montreal",
        extra={
            "language": "fr",
            "content_language": "fr",
            "contacts": "Courriel : info@example.org\nTéléphone ou texto : 514-555-0199",
        },
        interpretation=("en", "es"),
    ),
    DemoEvent(
        "status-for-all-sudbury",
        "Status for All rally: Sudbury",
        "rally",
        CAMPAIGN_DAY,
        (12, 0),
        (13, 30),
        "sudbury",
    ),
    DemoEvent(
        "status-for-all-niagara-falls",
        "Status for All rally: Niagara Falls",
        "rally",
        CAMPAIGN_DAY,
        (12, 0),
        (13, 30),
        "niagara",
    ),
    DemoEvent(
        "status-for-all-edmonton",
        "Status for All rally: Edmonton",
        "rally",
        CAMPAIGN_DAY,
        (12, 0),
        (13, 30),
        "edmonton",
        zone="America/Edmonton",
    ),
    DemoEvent(
        "status-for-all-vancouver",
        "Status for All march: Vancouver",
        "march",
        CAMPAIGN_DAY,
        (12, 0),
        (14, 0),
        "vancouver",
        zone="America/Vancouver",
        interpretation=("cmn", "tl"),
    ),
    DemoEvent(
        "status-for-all-victoria",
        "Status for All rally: Victoria",
        "rally",
        CAMPAIGN_DAY + 1,
        (11, 0),
        (12, 30),
        "victoria",
        zone="America/Vancouver",
    ),
    DemoEvent(
        "status-for-all-st-johns",
        "Status for All solidarity vigil: St. John's",
        "vigil",
        CAMPAIGN_DAY,
        (18, 0),
        (19, 0),
        "st-johns",
        zone="America/St_Johns",
    ),
]

CONTACTS = "Email: info@example.org\nPhone or text: 416-555-0142"


def demo_events(today: dt.date) -> list[DemoEvent]:
    saturday = (5 - today.weekday()) % 7 or 7  # days to the coming Saturday
    return [
        DemoEvent(
            "airport-road-protest-camp",
            "24/7 protest camp: Stop the deportations",
            "camp",
            -3,
            (10, 0),
            (10, 0),
            "camp",
            days_long=18,
            extra={
                "drop_in": True,
                "description": (
                    "We are holding a camp outside the immigration enforcement office day "
                    "and night for 18 days. Come for an hour or stay the night. Food, "
                    "tents and blankets are shared."
                ),
                "accessibility_notes": "Flat grass, a portable accessible toilet, chairs.",
            },
        ),
        DemoEvent(
            "camp-nightly-gathering",
            "Nightly community gathering at the camp",
            "assembly",
            -3,
            (19, 0),
            (20, 30),
            "camp",
            extra={
                "recurrence": "FREQ=DAILY;COUNT=18",
                "description": "Every night at 7 pm: news, food, music and planning.",
            },
            interpretation=("es", "tl"),
        ),
        DemoEvent(
            "banner-art-party",
            "Art party: paint banners and signs",
            "art",
            saturday,
            (14, 0),
            (17, 0),
            "studio",
            extra={
                "drop_in": True,
                "capacity": 60,
                "description": "Drop in between 2 and 5 pm. Paint, cloth and snacks provided.",
                "accessibility_notes": "Elevator access; quiet room available.",
            },
        ),
        DemoEvent(
            "open-assembly-undocumented",
            "Open assembly for undocumented migrants and supporters",
            "assembly",
            5,
            (20, 0),
            (21, 30),
            None,
            extra={
                "format": Event.Format.ONLINE,
                "privacy": Event.Privacy.ANONYMOUS,
                "description": (
                    "An open online assembly. No name needed, camera optional. "
                    "Simultaneous interpretation Spanish–English."
                ),
            },
            interpretation=("es",),
        ),
        DemoEvent(
            "free-legal-information-session",
            "Free legal-information session: your rights",
            "info",
            7,
            (18, 0),
            (21, 0),
            "clinic",
            extra={
                "capacity": 40,
                "description": (
                    "Lawyers explain immigration options and your rights if stopped. "
                    "Free, confidential, no ID needed."
                ),
            },
            interpretation=("es", "pa", "ta"),
        ),
        DemoEvent(
            "petition-delivery-mp-office",
            "Petition delivery to the MP's office",
            "petition",
            4,
            (11, 0),
            (12, 0),
            "toronto-park",
            extra={
                "status": Event.Status.POSTPONED,
                "status_reason": "The office closed for the week. A new date will be posted here.",
            },
        ),
        DemoEvent(
            "press-conference-city-hall",
            "Press conference at City Hall",
            "press",
            6,
            (10, 0),
            (11, 0),
            "clinic",
            extra={
                "status": Event.Status.CANCELLED,
                "status_reason": "The speakers cannot travel that day. Join the day of action.",
            },
        ),
        DemoEvent(
            "montreal-planning-meeting",
            "Réunion de planification (brouillon)",
            "assembly",
            3,
            (18, 0),
            (19, 0),
            "montreal",
            organization="solidarite-montreal",
            extra={"visibility": Event.Visibility.DRAFT, "language": "fr"},
        ),
        *(replace(spec, in_campaign=True) for spec in DAY_OF_ACTION),
    ]


CAMP_UPDATES = [
    (-2, "Bring warm clothes and blankets: the nights are cold this week."),
    (-1, "Thank you to everyone who brought food last night! We need more water."),
]


@transaction.atomic
def load_demo(*, today: dt.date | None = None) -> dict[str, int]:
    """Create or refresh the demo organizations, venues, campaign and events."""
    today = today or timezone.localdate()
    organizations = {
        slug: Organization.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in ORGANIZATIONS.items()
    }
    venues = {key: _venue(key, dict(values), organizations) for key, values in VENUES.items()}
    campaign = _campaign(today, organizations["migrant-rights-toronto"])
    events = [_event(spec, today, organizations, venues, campaign) for spec in demo_events(today)]
    _updates(events[0], today)
    assembly = next(event for event in events if event.slug == "open-assembly-undocumented")
    if not zoom.is_configured():  # with Zoom, publishing the event created its meeting
        services.set_meeting_link(
            event=assembly, join_url="https://meet.example.org/j/81234567890", passcode="status4all"
        )
    _translations(assembly, ASSEMBLY_TRANSLATIONS)
    return {"organizations": len(organizations), "venues": len(venues), "events": len(events)}


# The anonymous assembly in the site's other languages (title, description).
ASSEMBLY_TRANSLATIONS = {
    "fr": (
        "Assemblée ouverte des personnes sans papiers et de leurs allié·es",
        "Une assemblée ouverte en ligne. Aucun nom demandé, caméra facultative. "
        "Interprétation simultanée espagnol–anglais.",
    ),
    "es": (
        "Asamblea abierta de personas migrantes sin papeles y sus aliadas",
        "Una asamblea abierta en línea. No hace falta nombre, la cámara es opcional. "
        "Interpretación simultánea español–inglés.",
    ),
    "pa": (
        "ਬਿਨਾਂ ਕਾਗ਼ਜ਼ਾਂ ਵਾਲੇ ਪਰਵਾਸੀਆਂ ਅਤੇ ਹਮਾਇਤੀਆਂ ਦੀ ਖੁੱਲ੍ਹੀ ਸਭਾ",
        "ਇੱਕ ਖੁੱਲ੍ਹੀ ਆਨਲਾਈਨ ਸਭਾ। ਨਾਂ ਦੀ ਲੋੜ ਨਹੀਂ, ਕੈਮਰਾ ਆਪਣੀ ਮਰਜ਼ੀ ਨਾਲ। ਸਪੇਨੀ–ਅੰਗਰੇਜ਼ੀ ਨਾਲੋ-ਨਾਲ ਦੁਭਾਸ਼ੀਆ ਸੇਵਾ।",
    ),
}


def _translations(event: Event, texts: dict[str, tuple[str, str]]) -> None:
    for language, (title, description) in texts.items():
        translation = EventTranslation.objects.filter(event=event, language=language).first()
        translation = translation or EventTranslation(event=event, language=language)
        translation.title, translation.description = title, description
        services.save_event_translation(translation=translation)


def _venue(key: str, values: dict, organizations) -> Venue:
    organization = organizations[values.pop("organization", "migrant-rights-toronto")]
    venue = Venue.objects.filter(organization=organization, name=values["name"]).first()
    venue = venue or Venue(organization=organization)
    for name, value in values.items():
        setattr(venue, name, value)
    return services.save_venue(venue=venue)


def _campaign(today: dt.date, organization: Organization) -> Campaign:
    campaign = Campaign.objects.filter(slug=CAMPAIGN["slug"]).first() or Campaign()
    campaign.organization = organization
    campaign.name = CAMPAIGN["name"]
    campaign.slug = CAMPAIGN["slug"]
    campaign.description = CAMPAIGN["description"]
    campaign.starts_on = today + dt.timedelta(days=CAMPAIGN_DAY)
    campaign.ends_on = today + dt.timedelta(days=CAMPAIGN_DAY + 1)
    return services.save_campaign(campaign=campaign)


def _event(spec: DemoEvent, today, organizations, venues, campaign) -> Event:
    zone = ZoneInfo(spec.zone)
    day = today + dt.timedelta(days=spec.day)
    starts = dt.datetime.combine(day, dt.time(*spec.start), tzinfo=zone)
    end_day = day + dt.timedelta(days=spec.days_long)
    ends = dt.datetime.combine(end_day, dt.time(*spec.end), tzinfo=zone)
    event = Event.objects.filter(slug=spec.slug).first() or Event(slug=spec.slug)
    values = {
        "organization": organizations[spec.organization],
        "title": spec.title,
        "kind": spec.kind,
        "starts_at": starts,
        "ends_at": ends,
        "timezone": spec.zone,
        "venue": venues[spec.venue] if spec.venue else None,
        "campaign": campaign if spec.in_campaign else None,
        "visibility": Event.Visibility.LISTED,
        "contacts": CONTACTS,
        **spec.extra,
    }
    values["language"] = Language.objects.get(code=values.get("language", "en"))
    for name, value in values.items():
        setattr(event, name, value)
    languages = Language.objects.filter(code__in=spec.interpretation)
    return services.save_event(event=event, interpretation_languages=languages)


def _updates(camp: Event, today: dt.date) -> None:
    for days, body in CAMP_UPDATES:
        if EventUpdate.objects.filter(event=camp, body=body).exists():
            continue
        posted = dt.datetime.combine(
            today + dt.timedelta(days=days), dt.time(9, 30), tzinfo=ZoneInfo(TORONTO)
        )
        services.post_event_update(event=camp, body=body, posted_at=posted)
