"""Settings read from the environment, with safe defaults.

``create_app`` decides what a missing SECRET_KEY means: development and tests
get a generated key, production refuses to start.
"""
import os


def normalise_database_url(url: str) -> str:
    """Accept the URLs hosting providers hand out and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("DATABASE_URL", ""))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    APP_TIMEZONE = os.environ.get("APP_TIMEZONE", "Asia/Ho_Chi_Minh")
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Number of reverse proxies in front of the app whose X-Forwarded-* we trust.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_TRANSLATION_DIRECTORIES = "translations"  # app/translations: one catalog per language
    LANGUAGES = ("vi", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch must still submit
    # Error pages render through our handlers, never Werkzeug's debugger.
    PROPAGATE_EXCEPTIONS = False

    # Login throttling (app/auth/throttle.py): failures allowed per account and per address
    # before each further one doubles the wait (1 s, 2 s ... up to the maximum); failures of
    # one account from one address that lock it there until an administrator unlocks it;
    # minutes without a failure after which the counts are forgotten.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5"))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
    LOGIN_MAX_DELAY_SECONDS = int(os.environ.get("LOGIN_MAX_DELAY_SECONDS", "900"))
    LOGIN_HARD_LOCK_FAILURES = int(os.environ.get("LOGIN_HARD_LOCK_FAILURES", "10"))
    LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "60"))
    # Werkzeug's password hash method for new hashes (``app.auth.models.hash_password`` reads
    # it). Deliberately not read from the environment: production keeps the memory-hard default.
    PASSWORD_HASH_METHOD = "scrypt"

    PAGE_SIZE = 50

    # Stored files (app/storage): "local", the folder UPLOAD_FOLDER (default <instance>/uploads,
    # never under static), or "db", the database, which every host shares.
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or None
    CHECKLIST_MAX_UPLOAD_BYTES = int(os.environ.get("CHECKLIST_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    BASE_URL = "http://localhost"
    # One iteration: tests create thousands of users, each scrypt hash costs ~0.1-0.5 s.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
