"""The demo reproduces the article's figures for 2015–2020, computed from the records."""

from longbien import indicators
from longbien.org.demo import load_long_bien
from longbien.org.models import Term
from longbien.procedures.demo import load_demo as load_procedures
from resolutions.demo import load_demo


def test_term_figures_come_out_of_the_records(db):
    built = load_long_bien(people_per_cell=2)
    load_procedures(built=built)
    assert load_demo(built=built).startswith("716 văn bản")
    assert load_demo(built=built) == "đã có, bỏ qua"
    term = Term.objects.get(code="2015-2020")
    values = indicators.collect(
        viewer=indicators.SYSTEM,
        unit=built.units["QU-LB"],
        start=term.start_date,
        end=term.end_date,
        areas={"resolutions", "org"},
    )
    assert values["documents.district.resolution"].count == 22
    assert values["documents.district.conclusion_notice"].count == 202
    assert values["documents.grassroots.thematic_resolution"].count == 488
    assert values["conferences.held"].count == 312
    assert str(values["conferences.attendance"].share) == "95.4"
    assert values["procedures.district"].count == 36
    assert values["procedures.grassroots"].count == 26
    assert values["procedures.inspection"].count == 15
    assert values["procedures.coordination"].count == 3
