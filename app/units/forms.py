from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Regexp

from app.forms import BaseForm
from app.i18n import _l
from app.units.models import UNIT_KIND_LABELS, UnitKind
from app.web import choices


class UnitForm(BaseForm):
    slug = StringField(_l("Short name"), validators=[
        InputRequired(), Length(max=64),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lowercase letters, digits and hyphens."))])
    name_vi = StringField(_l("Name in Vietnamese"), validators=[InputRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[InputRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices((k.value, UNIT_KIND_LABELS[k]) for k in UnitKind))
    parent_id = SelectField(_l("Parent unit"), coerce=int)
    deadlines_all_day = BooleanField(_l("Show this unit's deadlines in days as all-day entries in calendar feeds"))
