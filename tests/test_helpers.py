"""The test helpers themselves: a denial check that could never fail would prove nothing."""
import pytest

from app.extensions import db
from app.units.models import Unit, UnitKind
from tests.helpers import nothing_written, table_counts


def test_nothing_written_fails_on_an_added_row_even_if_only_flushed(app, make_unit):
    make_unit()
    # Two statements on purpose: the row must be flushed, not only added.
    with pytest.raises(AssertionError, match="units"), nothing_written():  # noqa: PT012
        db.session.add(Unit(slug="x", name_vi="X", name_en="X", kind=UnitKind.OTHER))
        db.session.flush()
    db.session.rollback()
    with nothing_written():
        assert table_counts()["units"] == 1
