"""The pages of the API: a user's own tokens (/account/tokens) and the API documentation."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app import idempotency
from app.api import tokens
from app.api.forms import SCOPE_LABELS, TokenForm
from app.api.spec import PREFIX
from app.auth.routes import public
from app.i18n import _
from app.timeutil import utcnow
from app.web import apply_and_flash

bp = Blueprint("apipages", __name__)


@bp.route("/account/tokens", methods=["GET", "POST"])
def token_list():
    """The user's tokens; a new one is shown once, on the page that created it."""
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        created = apply_and_flash(lambda: idempotency.once(
            form.form_token.data, current_user, "api-token",
            lambda: tokens.issue_token(current_user, form.name.data or "", form.scope.data,
                                       form.expires_on.data),
            lambda _result: url_for(".token_list")),
            _("Token created. Copy it now: it is not shown again."), form=form)
        if created:
            form = TokenForm(formdata=None)
    return render_template("api/tokens.html", form=form, tokens=tokens.list_tokens(current_user),
                           secret=created.result[1] if created else None, now=utcnow(),
                           scope_labels=SCOPE_LABELS, docs_url=url_for(".docs"))


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke(token_id: int):
    apply_and_flash(lambda: tokens.revoke_token(current_user, token_id),
                    _("Token revoked: it stops working at once."))
    return redirect(url_for(".token_list"))


@bp.get(PREFIX + "/docs")
@public
def docs():
    """The OpenAPI document, browsable (Swagger UI, served from the app's own static files)."""
    return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))
