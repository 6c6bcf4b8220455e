"""Translation catalogs without GNU gettext: extract, update, check, compile.

Strings are read from every app's Python code and from the templates
(Django's own ``templatize`` turns a template into code with gettext calls,
as ``makemessages`` does, and Babel reads that), merged into the ``.po``
files under ``locale/`` and compiled to ``.mo`` with Babel. The ``.po`` files
are kept in git; the ``.mo`` files are built at install (scripts/bootstrap.sh).
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract as extract_from
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
DOMAIN = "django"
# The source language first; every other language needs every entry translated.
SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "fr", "es", "pa")
# Folders that hold no user-facing strings (or not ours).
SKIPPED_DIRS = {
    ".venv",
    ".git",
    "node_modules",
    "tests",
    "bench",
    "scripts",
    "migrations",
    "var",
    "staticfiles",
    "static",
    "locale",
    "test-artifacts",
}
TEMPLATE_SUFFIXES = {".html", ".txt"}
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("Translators:",)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


@dataclass(frozen=True)
class Found:
    message: str | tuple[str, ...]
    context: str | None
    location: tuple[str, int]
    comments: tuple[str, ...]


def source_files() -> Iterator[Path]:
    """Python files of the apps and config, and every template, in a stable order."""
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        python = path.suffix == ".py" and relative.parts[0] != "manage.py"
        template = path.suffix in TEMPLATE_SUFFIXES and "templates" in relative.parts
        if python or template:
            yield path


def extract() -> list[Found]:
    """Every translatable string in the code and templates."""
    found = []
    for path in source_files():
        relative = str(path.relative_to(ROOT))
        if path.suffix == ".py":
            entries = extract_from_file(
                "python", str(path), keywords=KEYWORDS, comment_tags=COMMENT_TAGS
            )
        else:
            entries = _extract_template(path)
        for entry in entries:
            lineno, message, comments, context = entry[:4]
            found.append(Found(message, context, (relative, lineno), tuple(comments)))
    return found


def _extract_template(path: Path):
    from django.utils.translation.template import templatize

    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    return extract_from(
        "python", io.BytesIO(code.encode("utf-8")), keywords=KEYWORDS, comment_tags=COMMENT_TAGS
    )


def template_catalog() -> Catalog:
    catalog = Catalog(domain=DOMAIN, fuzzy=False)
    for item in extract():
        catalog.add(
            item.message,
            locations=[item.location],
            auto_comments=item.comments,
            context=item.context,
        )
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: str) -> Catalog:
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def update_catalogs() -> dict[str, int]:
    """Merge the strings found now into each language's .po; return how many
    entries in each still need a translator (new, changed or fuzzy)."""
    template = template_catalog()
    todo = {}
    for language in LANGUAGES:
        catalog = read_catalog(language)
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
        with po_path(language).open("wb") as file:
            write_po(file, catalog, width=100, ignore_obsolete=True, sort_output=False)
        todo[language] = len(problems_in(catalog, template, language))
    return todo


def problems_in(catalog: Catalog, template: Catalog, language: str) -> list[str]:
    """What a translator still has to do in one catalog, one line each."""
    problems = []
    for wanted in template:
        if not wanted.id:
            continue
        entry = catalog.get(wanted.id, context=wanted.context)
        label = f"{language}: {_first(wanted.id)!r}"
        if entry is None:
            problems.append(f"{label} is missing")
        elif entry.fuzzy:
            problems.append(f"{label} is fuzzy (check it, then remove the fuzzy flag)")
        elif language != SOURCE_LANGUAGE:
            problems.extend(f"{label} {problem}" for problem in _translation_problems(entry))
    return problems


def _translation_problems(entry) -> list[str]:
    ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    if not all(strings):
        return ["is not translated (every plural form needs a text)"]
    wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
    problems = []
    for text in strings:
        if not set(PLACEHOLDER.findall(text)) <= wanted:
            problems.append(f"uses a placeholder the source does not have: {text!r}")
    if len(ids) == 1 and set(PLACEHOLDER.findall(strings[0])) != wanted:
        problems.append(f"must keep the placeholders of the source: {strings[0]!r}")
    return problems


def _first(message) -> str:
    return message[0] if isinstance(message, tuple) else message


def check_catalogs() -> list[str]:
    """Every problem in every language's catalog, against the code as it is now."""
    template = template_catalog()
    problems = []
    for language in LANGUAGES:
        problems.extend(problems_in(read_catalog(language), template, language))
    return problems


def compile_catalogs(*, only_if_stale: bool = False) -> list[Path]:
    """Write each .mo next to its .po (fuzzy entries left out); return those written."""
    written = []
    for language in LANGUAGES:
        source = po_path(language)
        target = source.with_suffix(".mo")
        if only_if_stale and target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        catalog = read_catalog(language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        target.write_bytes(buffer.getvalue())
        written.append(target)
    return written


# Attributes whose values people read (or hear from a screen reader).
READABLE_ATTRIBUTES = re.compile(
    r"""\b(?:aria-label|title|alt|placeholder|data-label|data-done)\s*=\s*["']([^"']*)["']""",
    re.IGNORECASE,
)
WORD = re.compile(r"[^\W\d_]{2,}")
MASK = "\x00"


def unmarked_template_text(source: str, *, html: bool = True) -> list[str]:
    """Words in a template that people would see but no translation tag covers."""
    from django.template.base import Lexer, TokenType

    parts, inside = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split(maxsplit=1)[0] if token.contents else ""
            if inside is None and name in {"blocktranslate", "blocktrans", "comment"}:
                inside = "end" + name
            elif name == inside:
                inside = None
            parts.append(MASK)
        elif token.token_type == TokenType.TEXT and inside is None:
            parts.append(token.contents)
        else:
            parts.append(MASK)
    text = "".join(parts)
    if not html:
        return WORD.findall(text)
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", MASK, text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", MASK, text, flags=re.S)
    words = [word for value in READABLE_ATTRIBUTES.findall(text) for word in WORD.findall(value)]
    text = re.sub(r"<[^>]*>", MASK, text)
    text = re.sub(r"&#?\w+;", MASK, text)
    return words + WORD.findall(text)


def template_files() -> list[Path]:
    return [path for path in source_files() if path.suffix in TEMPLATE_SUFFIXES]
