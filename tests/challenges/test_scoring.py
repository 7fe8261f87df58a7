"""Issue 20, score sheets: the weighting of the published criteria, checked against totals computed by
hand (challenges/scoring.py), and the panel's mean, spread and rank."""

from decimal import Decimal

import pytest

from challenges import scoring

D = Decimal


def criteria(*weights):
    return scoring.criteria_from([(f"c{i}", f"Criterion {i}", "", weight) for i, weight in enumerate(weights)])


def test_weights_as_published_hand_computed():
    # Impact 40 %, feasibility 30 %, team 30 %; scores 5, 3, 2 out of 5:
    # 40 x 5/5 + 30 x 3/5 + 30 x 2/5 = 40 + 18 + 12 = 70.0 out of 100.
    published = criteria(40, 30, 30)
    assert scoring.weighted_total(published, {"c0": {"score": 5}, "c1": {"score": 3}, "c2": {"score": 2}}) == D("70.0")
    # 4, 4, 1: 32 + 24 + 6 = 62.0
    assert scoring.weighted_total(published, {"c0": 4, "c1": 4, "c2": 1}) == D("62.0")


def test_weights_that_do_not_add_up_to_100_count_as_shares():
    # 50 and 25 (75 in all): shares 2/3 and 1/3. Scores 3 and 5: 2/3 x 60 + 1/3 x 100 = 40 + 33.33 = 73.3
    assert scoring.weighted_total(criteria(50, 25), {"c0": 3, "c1": 5}) == D("73.3")


def test_criteria_without_weights_count_equally():
    # Three unweighted criteria, scores 5, 4, 0: (100 + 80 + 0) / 3 = 60.0
    assert scoring.weighted_total(criteria(None, None, None), {"c0": 5, "c1": 4, "c2": 0}) == D("60.0")


def test_a_criterion_left_without_a_weight_among_weighted_ones_counts_for_nothing():
    # 60 / 40 / blank: scores 5, 0, 0: 60 x 5/5 + 40 x 0 + 0 = 60.0, whatever the third score.
    assert scoring.weighted_total(criteria(60, 40, None), {"c0": 5, "c1": 0, "c2": 0}) == D("60.0")
    assert scoring.weighted_total(criteria(60, 40, None), {"c0": 5, "c1": 0, "c2": 5}) == D("60.0")


def test_rounding_is_half_up_to_one_decimal():
    # Seven equal criteria, one scored 1: 100/7 x 1/5 = 2.857... -> 2.9
    scores = {f"c{i}": 0 for i in range(7)} | {"c0": 1}
    assert scoring.weighted_total(criteria(*([None] * 7)), scores) == D("2.9")
    # Half-up: eight equal criteria, one scored 1: 100/8 x 1/5 = 2.5 exactly (no rounding needed);
    scores = {f"c{i}": 0 for i in range(8)} | {"c0": 1}
    assert scoring.weighted_total(criteria(*([None] * 8)), scores) == D("2.5")
    # Four criteria at 25 %, one scored 1: 25 x 1/5 = 5.0
    assert scoring.weighted_total(criteria(25, 25, 25, 25), {"c0": 1, "c1": 0, "c2": 0, "c3": 0}) == D("5.0")


def test_an_unscored_criterion_leaves_no_total():
    assert scoring.weighted_total(criteria(50, 50), {"c0": {"score": 5}, "c1": {"score": None}}) is None
    assert scoring.weighted_total(criteria(50, 50), {"c0": 5}) is None
    assert [c.key for c in scoring.missing_scores(criteria(50, 50), {"c0": {"score": 5}})] == ["c1"]


def test_out_of_scale_scores_leave_no_total():
    assert scoring.weighted_total(criteria(100), {"c0": 6}) is None
    assert scoring.weighted_total(criteria(100), {"c0": -1}) is None


def test_a_call_without_criteria_is_scored_overall():
    (overall,) = scoring.criteria_from([])
    assert overall.key == scoring.OVERALL_KEY and overall.share == 1
    assert scoring.weighted_total([overall], {scoring.OVERALL_KEY: 4}) == D("80.0")


def test_mean_spread_and_disagreement():
    totals = [D("70.0"), D("62.0"), D("91.5")]
    assert scoring.mean(totals) == D("74.5")  # 223.5 / 3
    assert scoring.spread(totals) == D("29.5")
    assert scoring.disagrees(totals, 20) and not scoring.disagrees(totals, 30)
    assert scoring.spread([D("50")]) is None and not scoring.disagrees([D("50")], 0)
    assert scoring.mean([]) is None


def test_ranks_share_ties_and_skip_after_them():
    assert scoring.ranks({"a": D("80"), "b": D("75"), "c": D("75"), "d": D("60"), "e": None}) == {
        "a": 1,
        "b": 2,
        "c": 2,
        "d": 4,
    }


def test_criterion_means_count_only_scored_sheets():
    published = criteria(50, 50)
    sheets = [{"c0": {"score": 5}, "c1": {"score": 2}}, {"c0": {"score": 4}, "c1": {"score": None}}]
    assert scoring.criterion_means(published, sheets) == {"c0": D("4.5"), "c1": D("2.0")}


@pytest.mark.parametrize("weights", [(40, 30, 30), (50, 25), (None, None), (10, 0, 90)])
def test_shares_add_up_to_one(weights):
    assert sum(criterion.share for criterion in criteria(*weights)) == 1
