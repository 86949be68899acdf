"""The public spokesperson directory and its vCards."""
from datetime import date

from app.auth.roles import Role
from app.spokespeople import vcard


def test_escaping_and_folding():
    assert vcard.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "TITLE:" + "Người phát ngôn " * 10
    folded = vcard.fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_directory_is_public_and_bilingual(client, make_unit, make_user, designate, clock):
    unit = make_unit(name_vi="Ủy ban nhân dân tỉnh", name_en="Provincial People's Committee")
    person = make_user(Role.SPOKESPERSON, unit=unit, name="Phạm Minh Tuấn")
    designate(person, unit, title="Chánh Văn phòng", phone="0260 3 862 111", email="tuan@example.vn")
    former = make_user(Role.SPOKESPERSON, unit=unit, name="Người Cũ")
    designate(former, unit, since=date(2020, 1, 1), until=date(2021, 1, 1))
    page = client.get("/spokespeople/directory").get_data(as_text=True)
    assert "Danh bạ người phát ngôn" in page
    assert "Ủy ban nhân dân tỉnh" in page
    assert "Phạm Minh Tuấn" in page
    assert "0260 3 862 111" in page
    assert "tuan@example.vn" in page
    assert "Người Cũ" not in page
    english = client.get("/spokespeople/directory", headers={"Accept-Language": "en"})
    assert "Provincial People&#39;s Committee" in english.get_data(as_text=True)
    assert "Spokesperson directory" in english.get_data(as_text=True)


def test_a_vcard_per_person_in_both_versions(client, make_unit, make_user, designate):
    unit = make_unit(name_vi="Sở Văn hóa, Thể thao và Du lịch")
    person = make_user(Role.SPOKESPERSON, unit=unit, name="Ngô Thị Thu")
    designation = designate(person, unit, title="Giám đốc; Người phát ngôn", phone="0260 3 862 222",
                            email="thu@example.vn")
    response = client.get(f"/spokespeople/directory/{designation.id}.vcf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
    text = response.data.decode("utf-8").replace("\r\n ", "")
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert text.endswith("END:VCARD\r\n")
    assert "FN:Ngô Thị Thu\r\n" in text
    assert "N:Ngô;Thị Thu;;;\r\n" in text
    assert "ORG:Sở Văn hóa\\, Thể thao và Du lịch\r\n" in text
    assert "TITLE:Giám đốc\\; Người phát ngôn\r\n" in text
    assert "TEL;TYPE=WORK,VOICE:0260 3 862 222" in text
    four = client.get(f"/spokespeople/directory/{designation.id}.vcf?version=4.0").data.decode()
    assert "VERSION:4.0" in four
    assert "TEL;TYPE=work,voice;VALUE=uri:tel:02603862222" in four
    assert client.get(f"/spokespeople/directory/{designation.id}.vcf?version=2.1").status_code == 400
    assert client.get("/spokespeople/directory/999.vcf").status_code == 404


def test_the_roster_needs_login(client):
    response = client.get("/spokespeople/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
