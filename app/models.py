"""Imports every model module so that SQLAlchemy and Alembic see the whole schema."""
import app.api.models  # noqa: F401
import app.auth.models  # noqa: F401
import app.checklists.models  # noqa: F401
import app.events.models  # noqa: F401
import app.feeds.models  # noqa: F401
import app.idempotency  # noqa: F401
import app.imports.models  # noqa: F401
import app.monitoring.models  # noqa: F401
import app.notifications.models  # noqa: F401
import app.oversight.models  # noqa: F401
import app.press.models  # noqa: F401
import app.settings.models  # noqa: F401
import app.spokespeople.models  # noqa: F401
import app.storage.models  # noqa: F401
import app.training.models  # noqa: F401
import app.units.models  # noqa: F401
