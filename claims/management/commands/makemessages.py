"""Django's makemessages, which also reads the reader site's Jinja2 templates.

Django's own command reads templates as Django templates; the reader pages
are Jinja2 (claims/site/rendering/). Their strings are found by Jinja2's own
extractor and handed to xgettext as the gettext calls they are, on the lines
they are on, so the catalog's references point at the template.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from jinja2.ext import extract_from_ast


def jinja2_engine() -> Jinja2:
    """The site's Jinja2 engine (settings.TEMPLATES has one)."""
    (engine,) = [engine for engine in engines.all() if isinstance(engine, Jinja2)]
    return engine


def jinja2_template_dirs() -> list[Path]:
    """The Jinja2 engine's folders, relative to the project (BASE_DIR)."""
    base = Path(settings.BASE_DIR).resolve()
    return [Path(folder).resolve().relative_to(base) for folder in jinja2_engine().dirs]


def as_gettext_calls(source: str) -> str:
    """The translatable strings of a Jinja2 template as Python gettext calls,
    each on its line of the template."""
    lines = [""] * (source.count("\n") + 1)
    # Parsed as the site parses it (its environment's options can change
    # what a {% trans %} block's message is).
    for lineno, function, strings in extract_from_ast(
        jinja2_engine().env.parse(source), babel_style=False
    ):
        arguments = strings if isinstance(strings, tuple) else (strings,)
        lines[lineno - 1] += f"{function}({', '.join(map(repr, arguments))}); "
    return "\n".join(lines)


class BuildFile(makemessages.BuildFile):
    @cached_property
    def is_jinja2(self) -> bool:
        path = Path(self.path)
        return self.domain == "django" and any(
            path.is_relative_to(folder) for folder in jinja2_template_dirs()
        )

    def preprocess(self):
        if not self.is_jinja2:
            return super().preprocess()
        with open(self.path, encoding="utf-8") as template:
            content = as_gettext_calls(template.read())
        with open(self.work_path, "w", encoding="utf-8") as work:
            work.write(content)


class Command(makemessages.Command):
    build_file_class = BuildFile
