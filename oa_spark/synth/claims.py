"""Claim numbers as office actions write them: `Claims 1, 4-5, 7 and 9 to 11 are`, `Claim 1 and 7 to 10`."""

from __future__ import annotations

import random

_DASHES = ("-", "-", "-", "-", "–", " to ")


def claim_runs(claims: list[int]) -> list[tuple[int, int]]:
    """Sorted unique claims as (first, last) runs of consecutive numbers."""
    runs: list[tuple[int, int]] = []
    for c in sorted(set(claims)):
        if runs and c == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


def claim_list(claims: list[int], rng: random.Random) -> str:
    """`1, 4-5, 7, 16-18 and 41`, `1 and 7 to 10`, `1–5`, `1-6, 10-14, and 23-29, 33-37, and 39`."""
    items: list[str] = []
    for a, b in claim_runs(claims):
        if a == b:
            items.append(str(a))
        elif b == a + 1 and rng.random() < 0.5:
            items += [str(a), str(b)]
        else:
            items.append(f"{a}{rng.choice(_DASHES)}{b}")
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    r = rng.random()
    if r < 0.45:
        return ", ".join(items[:-1]) + " and " + items[-1]
    if r < 0.8:
        return ", ".join(items[:-1]) + ", and " + items[-1]
    if r < 0.9 or len(items) < 4:
        return ", ".join(items)
    cut = rng.randrange(1, len(items) - 1)
    return ", ".join(items[:cut]) + ", and " + ", ".join(items[cut:-1]) + ", and " + items[-1]


def claims_subject(claims: list[int], rng: random.Random) -> str:
    """`Claims 1-3 are`, `Claim 4 is`, `Claim(s) 1-20 is/are`, `Claims 1-20` (no verb, as real text has)."""
    text = claim_list(claims, rng)
    plural = len(set(claims)) > 1
    r = rng.random()
    if r < 0.08:
        noun = "Claim(s)"
    elif plural and r < 0.12:
        noun = "Claim"
    else:
        noun = "Claims" if plural else "Claim"
    verb = rng.choice(("are", "are", "are", "is/are", "")) if plural else rng.choice(("is", "is", "is/are"))
    return f"{noun} {text} {verb}" if verb else f"{noun} {text}"


def claim_groups(total: int, rng: random.Random) -> list[list[int]]:
    """Claims 1..total as independent claims with their dependents, e.g. [[1..7], [8..14], [15..20]]."""
    if total < 6:
        return [list(range(1, total + 1))]
    k = 2 if total < 12 else rng.choice((2, 3, 3))
    size = total // k
    starts = [1] + [1 + i * size + rng.randrange(-1, 2) for i in range(1, k)]
    bounds = [*starts, total + 1]
    return [list(range(bounds[i], bounds[i + 1])) for i in range(k)]
