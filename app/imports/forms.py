"""The forms of the import pages."""
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from app.forms import BaseForm
from app.i18n import _, _l


class UploadForm(BaseForm):
    file = FileField(_l("CSV or Excel file (.xlsx)"), validators=[FileRequired()])


class CommitForm(BaseForm):
    """Only its CSRF token: the file is the one previewed."""


class CalendarForm(BaseForm):
    """A partner's calendar: a .ics file, or the address the server fetches it from."""

    file = FileField(_l("Calendar file (.ics)"))
    url = StringField(_l("or its address (http:// or https://)"),
                      validators=[Optional(), Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool(self.file.data and self.file.data.filename) == bool((self.url.data or "").strip()):
            self.form_errors.append(_("Upload a .ics file or give its address (one of the two)."))
            return False
        return True


class CalendarEventsForm(CalendarForm):
    """A partner's calendar as events of their own: their kind and lead unit."""

    kind = SelectField(_l("Kind of the new events"))
    lead_unit_id = SelectField(_l("Lead unit"), coerce=int)


class EventsCommitForm(BaseForm):
    """The choices the preview was made with, sent again with the commit."""

    kind = HiddenField()
    lead_unit_id = HiddenField()
