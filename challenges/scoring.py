"""How a panel scores applications (issue 20): pure rules, no database.

Each reviewer scores each evaluation criterion the call published (the challenge's "evaluation
criteria") on the scale SCORES, 0 to 5. A sheet's total is out of 100: each criterion counts for its
published weight, as a share of the weights given (they are percentages and usually add up to 100):

    total = sum(weight / sum of weights * score / 5) * 100, rounded to one decimal

Criteria published without any weight count equally; a criterion left without a weight while others
have one counts for nothing (the call said so). A call without criteria is scored on one overall
criterion. The panel compares the submitted totals: their mean, their spread (highest minus lowest),
flagged as a disagreement above settings.SCORE_SPREAD_THRESHOLD points, and the rank of the mean.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

SCORE_MAX = 5
SCORES = {
    0: _("0: not addressed"),
    1: _("1: poor"),
    2: _("2: weak"),
    3: _("3: adequate"),
    4: _("4: good"),
    5: _("5: excellent"),
}
OVERALL_KEY = "overall"
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Criterion:
    key: str  # the criterion block's id: the same in every language version of the challenge
    name: str
    description: str
    published_weight: int | None  # as the call published it (percent), or None
    share: Decimal  # its share of the total, 0-1; the shares add up to 1


def criteria_from(blocks: list[tuple[str, str, str, int | None]]) -> list[Criterion]:
    """Criteria from the call's (key, name, description, weight) in order, with their shares."""
    if not blocks:
        return [Criterion(OVERALL_KEY, str(_("Overall")), "", None, Decimal(1))]
    weights = [Decimal(weight or 0) for _key, _name, _description, weight in blocks]
    if sum(weights) == 0:
        weights = [Decimal(1)] * len(blocks)
    whole = sum(weights)
    return [
        Criterion(key, name, description, weight, share / whole)
        for (key, name, description, weight), share in zip(blocks, weights, strict=True)
    ]


def criteria_of(challenge) -> list[Criterion]:
    """The criteria a challenge published (its evaluation criteria stream)."""
    blocks = []
    for index, block in enumerate(challenge.evaluation_criteria):
        if block.block_type != "criterion":
            continue
        value = block.value
        blocks.append(
            (
                block.id or f"criterion-{index}",
                value.get("name") or "",
                value.get("description") or "",
                value.get("weight"),
            )
        )
    return criteria_from(blocks)


def weighted_total(criteria: list[Criterion], scores: dict) -> Decimal | None:
    """The total out of 100 of {key: {"score": n}} (or {key: n}); None while a criterion is unscored."""
    total = Decimal(0)
    for criterion in criteria:
        entry = scores.get(criterion.key)
        score = entry.get("score") if isinstance(entry, dict) else entry
        if score is None or not (0 <= int(score) <= SCORE_MAX):
            return None
        total += criterion.share * Decimal(int(score)) / SCORE_MAX * 100
    return total.quantize(TENTH, rounding=ROUND_HALF_UP)


def missing_scores(criteria: list[Criterion], scores: dict) -> list[Criterion]:
    return [criterion for criterion in criteria if (scores.get(criterion.key) or {}).get("score") is None]


def mean(totals: list[Decimal]) -> Decimal | None:
    if not totals:
        return None
    return (sum(totals) / len(totals)).quantize(TENTH, rounding=ROUND_HALF_UP)


def spread(totals: list[Decimal]) -> Decimal | None:
    """Highest minus lowest total; None with fewer than two."""
    if len(totals) < 2:
        return None
    return max(totals) - min(totals)


def disagrees(totals: list[Decimal], threshold) -> bool:
    gap = spread(totals)
    return gap is not None and gap > Decimal(str(threshold))


def ranks(means: dict) -> dict:
    """{item: rank} by mean, highest first, ties sharing a rank ("1, 2, 2, 4"); items without a mean
    have no rank."""
    scored = sorted(((value, item) for item, value in means.items() if value is not None), key=lambda pair: -pair[0])
    result = {}
    for position, (value, item) in enumerate(scored, start=1):
        previous = scored[position - 2][0] if position > 1 else None
        result[item] = result[scored[position - 2][1]] if previous == value else position
    return result


def criterion_means(criteria: list[Criterion], sheets_scores: list[dict]) -> dict[str, Decimal | None]:
    """{criterion key: the mean score (0-5) of the submitted sheets}."""
    result = {}
    for criterion in criteria:
        values = [
            Decimal(int(entry["score"]))
            for scores in sheets_scores
            if isinstance(entry := scores.get(criterion.key), dict) and entry.get("score") is not None
        ]
        result[criterion.key] = (sum(values) / len(values)).quantize(TENTH, rounding=ROUND_HALF_UP) if values else None
    return result
