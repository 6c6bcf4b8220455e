"""Every string people see is marked for translation and translated into
each language, with the plural rules of that language."""

import pytest
from babel.messages.catalog import Catalog
from django.utils import translation
from django.utils.translation import ngettext

from config import catalogs


def test_every_template_text_is_marked_for_translation():
    unmarked = {
        str(path.relative_to(catalogs.ROOT)): words
        for path in catalogs.template_files()
        if (words := catalogs.unmarked_template_text(path.read_text(), html=path.suffix == ".html"))
    }
    assert unmarked == {}


def test_unmarked_text_is_found_in_text_attributes_and_plain_templates():
    source = (
        '{% load i18n %}<nav aria-label="Pages"><a href="{% url "x" %}">Later</a></nav>'
        '<p>{% translate "Fine" %} {{ value }} &amp; ·</p><!-- a comment -->'
        "{% blocktranslate %}Also fine{% endblocktranslate %}<script>var ok;</script>"
    )
    assert catalogs.unmarked_template_text(source) == ["Pages", "Later"]
    assert catalogs.unmarked_template_text("{% load i18n %}Hello {{ name }}", html=False) == [
        "Hello"
    ]


def test_every_catalog_entry_is_translated_in_every_language():
    assert catalogs.check_catalogs() == []


def test_missing_fuzzy_and_untranslated_entries_are_reported():
    template = Catalog()
    for message in ["Missing", "Fuzzy", "Empty", "Good %(n)s", ("One", "Many")]:
        template.add(message)
    catalog = Catalog(locale="fr")
    catalog.add("Fuzzy", "Flou", flags=["fuzzy"])
    catalog.add("Empty", "")
    catalog.add("Good %(n)s", "Bon %(m)s")
    catalog.add(("One", "Many"), ("Un", ""))
    assert catalogs.problems_in(catalog, template, "fr") == [
        "fr: 'Missing' is missing",
        "fr: 'Fuzzy' is fuzzy (check it, then remove the fuzzy flag)",
        "fr: 'Empty' is not translated (every plural form needs a text)",
        "fr: 'Good %(n)s' uses a placeholder the source does not have: 'Bon %(m)s'",
        "fr: 'Good %(n)s' must keep the placeholders of the source: 'Bon %(m)s'",
        "fr: 'One' is not translated (every plural form needs a text)",
    ]


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("fr", 0, "0 inscription annulée."),
        ("fr", 1, "1 inscription annulée."),
        ("fr", 2, "2 inscriptions annulées."),
        ("es", 0, "0 inscripciones canceladas."),
        ("es", 1, "1 inscripción cancelada."),
        ("es", 3, "3 inscripciones canceladas."),
        ("pa", 1, "1 ਰਜਿਸਟ੍ਰੇਸ਼ਨ ਰੱਦ ਕੀਤੀ ਗਈ।"),
        ("pa", 4, "4 ਰਜਿਸਟ੍ਰੇਸ਼ਨਾਂ ਰੱਦ ਕੀਤੀਆਂ ਗਈਆਂ।"),
    ],
)
def test_plural_forms_follow_each_language(language, count, expected):
    with translation.override(language):
        text = ngettext("%d registration cancelled.", "%d registrations cancelled.", count)
    assert text % count == expected
