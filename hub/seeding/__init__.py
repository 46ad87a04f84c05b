"""Generated data at Knowledge Hub scale: `flask hub seed --scale small|full`.

`generate()` fills an empty database deterministically from a seed; see generate.py for
how, and vocabulary.py for the words it draws on. The demo data (`--scale demo`) is
hub/demo.py.
"""

from hub.seeding.generate import SCALES, SEED_PASSWORD, Result, Sizes, generate

__all__ = ["SCALES", "SEED_PASSWORD", "Result", "Sizes", "generate"]
