"""The menu asks the pages' own permission functions: it never offers a page that refuses."""
import pytest

from app.auth.roles import Role
from app.navigation import NAV, TOOLS_NAV
from tests.helpers import log_in

ENTRIES = NAV + TOOLS_NAV


def _urls(app) -> list[str]:
    from flask import url_for

    with app.test_request_context():
        return [url_for(entry.endpoint) for entry in ENTRIES]


@pytest.mark.parametrize(("role", "unit_slug"), [(role, None) for role in Role]
                         + [(Role.VIEWER, "ban-tgdv")])
def test_menu_entries_agree_with_the_pages(client, make_user, make_unit, role, unit_slug):
    unit = make_unit(unit_slug) if unit_slug else make_unit()
    user = make_user(role, unit=unit)
    log_in(client, user)
    urls = _urls(client.application)
    page = client.get("/").get_data(as_text=True)
    shown = {url for url in urls if f'href="{url}"' in page}
    for url in urls:
        status = client.get(url).status_code
        if url in shown:
            assert status == 200, (role, url)
        if status == 403:
            assert url not in shown, (role, url)


def test_the_propaganda_commission_finds_its_overview_in_the_menu(client, make_user, make_unit):
    log_in(client, make_user(Role.VIEWER, unit=make_unit("ban-tgdv")))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/checklists/overview"' in page
    assert client.get("/checklists/overview").status_code == 200
