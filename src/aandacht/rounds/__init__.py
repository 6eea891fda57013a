"""Rounds: one herijking, continuing from and compared with the previous round.

Takes a config, the round year and (optionally) the previous round's folder. Reads a
round folder back (``record``), runs the round: scoring, robustness, designation and
selection under the continuity rules (``herijking``), and says what changed per wijk and
per Plus-IKC and why (``compare``). Hands on a :class:`~aandacht.rounds.herijking.Herijking`
that :mod:`aandacht.present` writes out.
"""
