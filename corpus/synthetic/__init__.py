"""Seeded synthetic corpus of children's care records with gold annotations (see generate.py)."""
