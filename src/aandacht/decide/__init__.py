"""Decide: scores -> aandachtsgebieden and the proposed Plus-IKCs.

Takes a scoring run, the robustness figures and the config's ``designation``, ``ikc`` and
``selection``. Designates wijken by the configured rules, forms the named gebieden and
gives the reasons (``designate``); reads and places the IKC registry (``ikc``); computes
each IKC's need, eligibility and the continuity rules (``select``) and chooses the
Plus-IKCs by an exact integer program, explaining which constraints bind (``optimise``).
Hands on the designation and the selection.
"""
