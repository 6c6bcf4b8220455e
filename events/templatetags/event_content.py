"""Event texts in the language of the page (see events.content)."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from events.content import Localized, language_label, localized_event, localized_update

register = template.Library()


@register.simple_tag
def localized(event) -> Localized:
    """{% localized event as content %}: content.title, .description, .directions,
    .language, .direction and .fell_back."""
    return localized_event(event, get_language() or "en")


@register.simple_tag
def localized_body(update, event) -> Localized:
    return localized_update(update, get_language() or "en", original=event.content_language)


@register.filter
def language_name(language) -> str:
    """{{ event.language|language_name }}: "ਸਪੇਨੀ (Español)" on a Punjabi page."""
    return language_label(language)


@register.simple_tag
def language_menu() -> list[tuple[str, str]]:
    """The site's languages, each named in itself ("English", "ਪੰਜਾਬੀ") whatever
    the page's language, so people find their own (Django's tag would translate them)."""
    return list(settings.LANGUAGES)
