"""Django's and Django REST framework's own messages that people meet on our
forms and in the registration API, listed here so that our catalogs carry
them in every language: Django ships few of them in Punjabi and the REST
framework none, and our Spanish speaks to the reader as "tú" throughout.

Nothing calls this module; the catalog tools read the strings from it, and
our catalogs (LOCALE_PATHS) come before the frameworks' own.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django's form fields.
FORM_MESSAGES = [
    gettext_noop("This field is required."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a whole number."),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
]

# The REST framework's fields, as the registration API uses them.
API_MESSAGES = [
    gettext_noop("This field may not be null."),
    gettext_noop("A valid integer is required."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("Not a valid string."),
    gettext_noop("This field may not be blank."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("Not found."),
]
