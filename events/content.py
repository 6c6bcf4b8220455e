"""Event content in the visitor's language, or in the language it falls back to."""

from dataclasses import dataclass

from django.utils.translation import get_language, get_language_info

from events.models import LANGUAGE_NAMES, Event, EventUpdate, Language

# Languages that write language names in lower case ("en anglais", "en inglés").
LOWERCASE_LANGUAGE_NAMES = {"fr", "es"}


@dataclass(frozen=True)
class Localized:
    """Texts as shown, with the language they are written in."""

    language: str
    wanted: str
    title: str = ""
    description: str = ""
    directions: str = ""
    body: str = ""

    @property
    def fell_back(self) -> bool:
        return primary(self.language) != primary(self.wanted)

    @property
    def language_name(self) -> str:
        return name_in_page_language(self.language) or self.language

    @property
    def direction(self) -> str:
        """Right to left for Arabic, Farsi...; else "auto", so that Arabic typed
        into an event declared English still reads right to left."""
        return "rtl" if language_info(self.language).get("bidi") else "auto"


def name_in_page_language(code: str) -> str:
    """The language's name in the page's language, as written inside a sentence
    ("" when Django does not know the language)."""
    name = str(LANGUAGE_NAMES.get(code) or language_info(code).get("name_translated", ""))
    if primary(get_language() or "") in LOWERCASE_LANGUAGE_NAMES:
        return name[:1].lower() + name[1:]
    return name


def language_label(language: Language) -> str:
    """A spoken or sign language as a visitor reads it: its name in the page's
    language, with its own name when that differs ("ਸਪੇਨੀ (Español)")."""
    name = name_in_page_language(language.code)
    if not name:
        return str(language)
    if language.native_name and language.native_name.casefold() != name.casefold():
        return f"{name} ({language.native_name})"
    return name


def primary(code: str) -> str:
    return code.lower().split("-")[0]


def language_info(code: str) -> dict:
    try:
        return get_language_info(code)
    except KeyError:
        return {}


def pick(translations, wanted: str):
    """The translation in the wanted language (exact, else same primary language)."""
    translations = list(translations)
    for matches in (
        lambda item: item.language.lower() == wanted.lower(),
        lambda item: primary(item.language) == primary(wanted),
    ):
        for item in translations:
            if matches(item):
                return item
    return None


def localized_event(event: Event, wanted: str) -> Localized:
    """Uses ``event.translations.all()``: prefetch it for lists."""
    venue_directions = event.venue.directions if event.venue else ""
    found = None
    if primary(event.content_language) != primary(wanted):
        found = pick(event.translations.all(), wanted)
    if found is None:
        return Localized(
            language=event.content_language,
            wanted=wanted,
            title=event.title,
            description=event.description,
            directions=venue_directions,
        )
    return Localized(
        language=found.language,
        wanted=wanted,
        title=found.title,
        description=found.description,
        directions=found.directions or venue_directions,
    )


def localized_update(update: EventUpdate, wanted: str, *, original: str) -> Localized:
    """An update in the wanted language, else as posted (in ``original``)."""
    found = (
        None if primary(original) == primary(wanted) else pick(update.translations.all(), wanted)
    )
    if found is None:
        return Localized(language=original, wanted=wanted, body=update.body)
    return Localized(language=found.language, wanted=wanted, body=found.body)
