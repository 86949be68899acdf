import pytest

from app import ConfigurationError, create_app
from app.config import Config, TestConfig, normalise_database_url


def test_create_app_honours_test_config():
    app = create_app(TestConfig)
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-only-secret"


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("FLASK_DEBUG", raising=False)

    class Production(Config):
        SECRET_KEY = None

    with pytest.raises(ConfigurationError) as excinfo:
        create_app(Production)
    assert "SECRET_KEY" in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_development_generates_and_keeps_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FLASK_DEBUG", "1")

    class Development(Config):
        SECRET_KEY = None

    first = create_app(Development).config["SECRET_KEY"]
    second = create_app(Development).config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": ""})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'briefdesk.db'}"


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_database_urls_use_psycopg3(given, expected):
    assert normalise_database_url(given) == expected
