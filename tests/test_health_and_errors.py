from app import create_app
from app.config import TestConfig
from tests.helpers import log_in


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_does_not(tmp_path):
    class Broken(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/missing-dir/none.db"

    response = create_app(Broken).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_not_found_page_in_both_languages(client, login):
    login()
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)
    client.post("/locale", data={"locale": "en"})
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_an_unexpected_error_is_a_page_not_a_traceback(app, make_user):
    # Its own app on the suite's database: the shared one takes no routes once it has served.
    broken = create_app(dict(app.config))

    @broken.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    client = broken.test_client()
    log_in(client, make_user(locale="en"))
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "secret detail" not in page
    assert "Traceback" not in page


def test_api_clients_get_json_errors(client, login):
    login()
    response = client.get("/no/such/thing", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["error"] == 404
