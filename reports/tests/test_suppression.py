import pytest

from intake.choices import Destination, Phase
from reports.choices import Granularity
from reports.models import CohortSnapshot, DoorstroomSnapshot, FunnelSnapshot, ReportRun
from reports.selectors import ReportFilters, cohorts, doorstroom, flow, funnel
from reports.suppression import COMPLEMENT, SMALL, Protection

from .history import day


def test_a_small_count_is_shown_as_less_than_five_and_a_second_cell_of_its_sum_is_hidden():
    grid = Protection()
    parts = [grid.count("a", 3), grid.count("b", 10), grid.count("c", 12), grid.count("zero", 0)]
    grid.sums(grid.count("total", 25), parts)
    shown = {key: str(grid.cell(key)) for key in ["a", "b", "c", "zero", "total"]}
    # Without hiding b, a = 25 - 10 - 12 - 0 could be worked out; b is the smallest non-zero other part.
    assert shown == {"a": SMALL, "b": COMPLEMENT, "c": "12", "zero": "0", "total": "25"}
    assert grid.cell("b").value is None


def test_zero_and_five_are_not_small():
    grid = Protection()
    grid.sums(grid.count("total", 5), [grid.count("a", 5), grid.count("b", 0)])
    assert [str(grid.cell(k)) for k in ("total", "a", "b")] == ["5", "5", "0"]


def test_a_small_count_that_can_be_derived_hides_a_visible_cell_of_its_sum():
    # 10 reached a phase, 7 the next one, none is still in it: so 3 left, a number the table does not show.
    grid = Protection()
    reached, following, still = grid.count("reached", 10), grid.count("following", 7), grid.count("still", 0)
    grid.sums(reached, [following, still, grid.derivable("left", 3)])
    assert str(grid.cell(following)) == COMPLEMENT
    assert str(grid.share(following, reached)) == COMPLEMENT
    assert str(grid.cell(reached)) == "10"


def test_suppression_follows_chains_of_sums():
    # Hiding b for the first sum leaves b the only unknown of the second one: so d must go too.
    grid = Protection()
    grid.sums(grid.count("t1", 20), [grid.count("a", 2), grid.count("b", 18)])
    grid.sums(grid.count("t2", 30), [grid.count("b", 18), grid.count("d", 12)])
    assert [str(grid.cell(k)) for k in ("a", "b", "d", "t1", "t2")] == [SMALL, COMPLEMENT, COMPLEMENT, "20", "30"]


@pytest.mark.django_db
def test_doorstroom_table_hides_the_small_destination_and_a_complementary_one():
    ReportRun.objects.create(status="succeeded")
    counts = {Destination.BEROEPSMILITAIR: 6, Destination.RESERVIST: 2, Destination.VERTROKKEN: 7}
    DoorstroomSnapshot.objects.bulk_create(
        DoorstroomSnapshot(
            track="dienjaar",
            branch="",
            gender="",
            period_type=Granularity.YEAR,
            period_start=day("2025-01-01"),
            destination=destination,
            count=count,
        )
        for destination, count in counts.items()
    )
    rows = {row["destination"].value: row for row in doorstroom(ReportFilters(track="dienjaar", year=2025)).rows}
    assert str(rows[Destination.RESERVIST.label]["count"]) == SMALL
    # Beroepsmilitair (6) would give the 2 away as total 15 - 6 - 7, and as 'stays' 8 - 6.
    assert str(rows[Destination.BEROEPSMILITAIR.label]["count"]) == COMPLEMENT
    assert str(rows[Destination.BEROEPSMILITAIR.label]["share"]) == COMPLEMENT
    assert [str(rows[label]["count"]) for label in ("Verlaat Defensie", "Blijft bij Defensie", "Totaal")] == [
        "7",
        "8",
        "15",
    ]
    assert str(rows["Blijft bij Defensie"]["share"]) == "53,3%"


@pytest.mark.django_db
def test_cohort_table_hides_a_period_cell_that_the_year_total_would_give_away():
    def snapshot(period_type, start, applied):
        return CohortSnapshot(
            track="",
            branch="",
            gender="",
            period_type=period_type,
            period_start=day(start),
            applied=applied,
            in_process=0,
            appointable=0,
            appointed=0,
        )

    applied = [
        (Granularity.QUARTER, "2025-01-01", 40),
        (Granularity.QUARTER, "2025-04-01", 3),
        (Granularity.QUARTER, "2025-07-01", 20),
        (Granularity.YEAR, "2025-01-01", 63),
    ]
    CohortSnapshot.objects.bulk_create(snapshot(*row) for row in applied)
    # Whoever applies enters werving that day: the period view holds the same numbers.
    FunnelSnapshot.objects.bulk_create(
        FunnelSnapshot(
            track="",
            branch="",
            gender="",
            period_type=period_type,
            period_start=day(start),
            phase=Phase.WERVING,
            reached=count,
            in_process=count,
            entered=count,
        )
        for period_type, start, count in applied
    )
    filters = ReportFilters(year=2025, granularity=Granularity.QUARTER)
    assert [str(row["applied"]) for row in cohorts(filters).rows] == ["40", SMALL, COMPLEMENT, "63"]
    assert [str(row[Phase.WERVING]) for row in flow(filters).rows] == ["40", SMALL, COMPLEMENT, "63"]
    assert [row["period"].value for row in cohorts(filters).rows] == ["K1 2025", "K2 2025", "K3 2025", "2025 totaal"]


def test_cells_read_before_all_counts_are_known_are_still_protected():
    grid = Protection()
    grid.count("a", 7)
    assert str(grid.cell("a")) == "7"
    grid.count("b", 2)
    assert str(grid.cell("b")) == SMALL


@pytest.mark.django_db
def test_a_number_hidden_in_the_funnel_is_hidden_in_the_cohort_table_too():
    year = {"track": "", "branch": "", "gender": "", "period_type": Granularity.YEAR, "period_start": day("2025-01-01")}
    # Of the 9 who reached opleiding 6 were appointed and none is still in training: 3 left, a small group.
    FunnelSnapshot.objects.bulk_create(
        FunnelSnapshot(**year, phase=phase, reached=reached, in_process=0, entered=reached)
        for phase, reached in zip(Phase, [30, 20, 14, 9, 6], strict=True)
    )
    CohortSnapshot.objects.create(**year, applied=30, appointable=12, appointed=6, in_process=0)
    filters = ReportFilters(year=2025, granularity=Granularity.YEAR)

    phases = {row["phase"].value: row for row in funnel(filters).rows}
    assert str(phases["Aangesteld"]["reached"]) == COMPLEMENT
    # The cohort table on its own has nothing small, but its appointed total is the same 6.
    assert str(cohorts(filters).rows[-1]["appointed"]) == COMPLEMENT
