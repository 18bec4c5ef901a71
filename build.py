#!/usr/bin/env python3
"""Bilingual briefing portal: ``python build.py [build|import|translate|models|check|serve] ...``."""

import sys

from briefing.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
