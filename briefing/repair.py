"""Undoing the scraper's damage to words: glued words and sentences (pure)."""

from __future__ import annotations

import re

from .taxonomy import LOW, UP

_CAMEL = re.compile(rf"(?<=[{LOW}]{{2}})(?=[{UP}][{LOW}])|(?<=\b[{UP}][{LOW}])(?=[{UP}][{LOW}])")
_CAMEL_KEEP = frozenset(
    [
        "iPhone",
        "YouTube",
        "LinkedIn",
        "WhatsApp",
        "TikTok",
        "PayPal",
        "McDonald",
        "MacBook",
        "JavaScript",
        "PowerPoint",
        "eBay",
        "iPad",
        "FedEx",
        "VinFast",
        "VinGroup",
        "VietJet",
        "PetroVietnam",
        "VietinBank",
        "HiPP",
        "BioNTech",
        "AstraZeneca",
        "GlobalFoundries",
        "LinkedIn",
        "OpenAI",
        "DeepMind",
        "PlayStation",
    ]
)
_MISSING_SPACE = re.compile(rf"(?<=[{LOW}]{{3}}[.!?])(?=[{UP}][{LOW}'’])")


def repair(text: str) -> str:
    """Undo the scraper's gluing: ``desAffaires`` → ``des Affaires``, ``rompus.L'ambassade`` → ``rompus. L'…``."""
    words = []
    for word in re.split(r"(\s+)", text):
        if word.strip() and word not in _CAMEL_KEEP and not any(k in word for k in _CAMEL_KEEP):
            word = _CAMEL.sub(" ", word)
        words.append(word)
    text = "".join(words)
    text = _MISSING_SPACE.sub(" ", text)
    return re.sub(r"[ \t\u00a0]{2,}", " ", text).strip()
