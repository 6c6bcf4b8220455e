from django.db import migrations

# (code, English name, name in the language itself, sign language, name in Zoom).
# An empty Zoom name means the language must be added as a custom
# interpretation language in the Zoom account before it can be a channel.
LANGUAGES = [
    ("en", "English", "English", False, "English"),
    ("fr", "French", "Français", False, "French"),
    ("es", "Spanish", "Español", False, "Spanish"),
    ("pa", "Punjabi", "ਪੰਜਾਬੀ", False, ""),
    ("tl", "Tagalog", "Tagalog", False, ""),
    ("cmn", "Mandarin", "普通话", False, "Chinese"),
    ("yue", "Cantonese", "廣東話", False, ""),
    ("ar", "Arabic", "العربية", False, ""),
    ("ta", "Tamil", "தமிழ்", False, ""),
    ("hi", "Hindi", "हिन्दी", False, ""),
    ("ur", "Urdu", "اردو", False, ""),
    ("pt", "Portuguese", "Português", False, "Portuguese"),
    ("vi", "Vietnamese", "Tiếng Việt", False, ""),
    ("ko", "Korean", "한국어", False, "Korean"),
    ("ti", "Tigrinya", "ትግርኛ", False, ""),
    ("am", "Amharic", "አማርኛ", False, ""),
    ("so", "Somali", "Soomaali", False, ""),
    ("fa", "Farsi", "فارسی", False, ""),
    ("uk", "Ukrainian", "Українська", False, ""),
    ("ase", "American Sign Language (ASL)", "ASL", True, ""),
    ("fcs", "Quebec Sign Language (LSQ)", "LSQ", True, ""),
]


def add_languages(apps, schema_editor):
    Language = apps.get_model("events", "Language")
    for code, name, native, sign, zoom in LANGUAGES:
        Language.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "native_name": native,
                "is_sign_language": sign,
                "zoom_name": zoom,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
