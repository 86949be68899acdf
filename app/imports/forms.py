"""The forms of the import pages."""
from flask_wtf.file import FileField, FileRequired

from app.forms import BaseForm
from app.i18n import _l


class UploadForm(BaseForm):
    file = FileField(_l("CSV or Excel file (.xlsx)"), validators=[FileRequired()])


class CommitForm(BaseForm):
    """Only its CSRF token: the file is the one previewed."""
