"""Bilingual briefing portal generator: VNA dispatches in French → a French/English static site."""

__version__ = "0.1.0"
