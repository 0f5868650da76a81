"""Measuring tools around the analyser: the benchmark and the evaluation against gold.

They import the core (``analyser``) and the adapters they measure (``service``); the core never imports them.
They stay reachable as ``caseqa bench`` and ``caseqa evaluate``.
"""
