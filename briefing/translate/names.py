"""People an article names that the taxonomy does not know: found so their names are locked as written.

Two sources, both the importer's: its name detection (``mentions.unknown_people``: a name after a
role word) and the ``people`` list of the front matter, whose ids the taxonomy lacks are slugs of
names in the text; each such slug is matched back to the words it was made from.
"""

from __future__ import annotations

import re

from .. import mentions
from ..sources import Article
from ..taxonomy import LOW, UP, Taxonomy, fold, slugify_name

# words that make a capitalised run a place or an institution, not a person: the importer's detection can
# return "États-Unis" or "Saint-Siège", which an engine translates better than a lock keeps them
NOT_PEOPLE = frozenset(
    "etats unis saint siege asie pacifique europe union europeenne nations unies republique royaume mer "
    "orientale sud nord est ouest conseil comite ministere assemblee".split()
)
_CAPITALISED_RUN = re.compile(rf"[{UP}][{LOW}{UP}'’]*(?:[\s-]+[{UP}][{LOW}{UP}'’]*){{1,5}}")


def _texts(article: Article) -> list[str]:
    return [article.title, article.summary, *article.captions, *article.body.split("\n\n")]


def _from_slugs(slugs: set[str], texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        for m in _CAPITALISED_RUN.finditer(text):
            words = re.split(r"[\s-]+", m.group(0))
            for start in range(len(words)):  # "Le directeur Pham Hoang Long": try each tail and head
                for end in range(len(words), start + 1, -1):
                    if slugify_name(" ".join(words[start:end])) in slugs:
                        found.append(" ".join(words[start:end]))
    return found


def article_names(tax: Taxonomy, article: Article) -> tuple[str, ...]:
    texts = _texts(article)
    names = [name for _, name in mentions.unknown_people(tax, texts)]
    unknown_slugs = {p for p in article.people if p not in tax.people}
    names += _from_slugs(unknown_slugs, texts) if unknown_slugs else []
    people = {n for n in names if not NOT_PEOPLE & set(re.split(r"[\s-]+", fold(n)))}
    return tuple(sorted(people))
