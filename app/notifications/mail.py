"""E-mail: settings from the environment, multipart messages, SMTP or the log, .ics attachments."""
import email.policy
import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale

from app.events.access import can_view
from app.events.models import Event
from app.feeds.ical import event_ics
from app.inputs import single_line
from app.notifications.texts import Text, render
from app.timeutil import utcnow

log = logging.getLogger("briefdesk.mail")

# Python's folding of long non-ASCII headers drops the space where it splits two
# encoded words ("Hội nghị xúc" -> "Hội nghịxúc"); with a wide line limit the
# Subject stays one encoded word, which mail clients read correctly.
MESSAGE_POLICY = email.policy.SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    use_tls: bool
    username: str
    password: str
    sender: str

    @classmethod
    def from_app(cls, app=None) -> "MailSettings":
        """MAIL_* from the app config, else from the environment."""
        config = (app or current_app).config

        def get(name, default=""):
            value = config.get(name)
            return os.environ.get(name, default) if value is None else value

        use_tls = get("MAIL_USE_TLS", "0")
        return cls(server=get("MAIL_SERVER"), port=int(get("MAIL_PORT", 0) or 0),
                   use_tls=str(use_tls).lower() in ("1", "true", "yes", "on"),
                   username=get("MAIL_USERNAME"), password=get("MAIL_PASSWORD"),
                   sender=get("MAIL_DEFAULT_SENDER") or "briefing-desk@localhost")

    @property
    def configured(self) -> bool:
        return bool(self.server)


class SmtpMailer:
    """One SMTP connection per run, opened on first use and reopened after an error."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.server, s.port or (587 if s.use_tls else 25), timeout=30)
        if s.use_tls:
            smtp.starttls(context=ssl.create_default_context())
        if s.username:
            smtp.login(s.username, s.password)
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except Exception:
            self.close()  # the next message starts on a fresh connection
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


class LogMailer:
    """Without MAIL_SERVER: e-mails go to the log; nothing fails."""

    def send(self, message: EmailMessage) -> None:
        body = message.get_body(("plain",))
        log.info("E-mail not sent (MAIL_SERVER is not set) to %s: %s\n%s", message["To"],
                 message["Subject"], body.get_content() if body else "")

    def close(self) -> None:
        pass


def mailer_for(settings: MailSettings):
    return SmtpMailer(settings) if settings.configured else LogMailer()


def attachment_for(event: Event, user) -> tuple[str, bytes] | None:
    """The event's .ics for ``user`` (None if they may not see it), by the feeds' serializer."""
    if event is None or not can_view(user, event):
        return None
    return f"event-{event.id}.ics", event_ics(event, user=user, locale=user.locale)


def build_message(*, sender: str, user, texts: list[tuple[Text, str]], subject: str,
                  event: Event | None = None) -> EmailMessage:
    """A multipart text + HTML e-mail in ``user``'s language; ``texts`` are (Text, link) pairs."""
    base = current_app.config["BASE_URL"]
    locale = user.locale if user.locale in current_app.config["LANGUAGES"] else "vi"
    with force_locale(locale):
        entries = [{"text": text, "link": f"{base}{link}" if link else base} for text, link in texts]
        # The Jinja environment directly: the app's context processors expect a request.
        env = current_app.jinja_env
        context = {"user": user, "entries": entries, "subject": subject, "base_url": base,
                   "locale": locale}
        plain = env.get_template("notifications/email.txt").render(context)
        html = env.get_template("notifications/email.html").render(context)
    message = EmailMessage(policy=MESSAGE_POLICY)
    # Header values on one line: a title or a name with a line break must not stop the mail.
    message["Subject"] = single_line(subject)
    message["From"] = sender
    message["To"] = formataddr((single_line(user.name or ""), user.email))
    message["Date"] = formatdate(utcnow().timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(domain=urlsplit(base).hostname or "localhost")
    message.set_content(plain)
    message.add_alternative(html, subtype="html")
    if event is not None:
        attachment = attachment_for(event, user)
        if attachment:
            filename, data = attachment
            message.add_attachment(data.decode("utf-8"), subtype="calendar", charset="utf-8",
                                   filename=filename, params={"method": "PUBLISH"})
    message["Content-Language"] = locale  # last: set_content and add_* move Content-* headers
    return message


def render_for(user, kind: str, params: dict) -> Text:
    locale = user.locale if user.locale in current_app.config["LANGUAGES"] else "vi"
    with force_locale(locale):
        return render(kind, params, locale)
