from pathlib import Path

import pytest
from django.core.management import call_command

from cities.models import Agreement, SisterCity
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

SHARED_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "sister_cities_partial.csv"
SAMPLE = (
    "name_en,country_iso,iana_time_zone,year_established,tie_form,source\n"
    "Seoul,KR,Asia/Seoul,2006,Sister City Agreement,seed\n"
    "Tianjin,CN,Asia/Shanghai,2012,Friendship Exchanges and Cooperative Relationship,news\n"
    "Hanoi,VN,Asia/Ho_Chi_Minh,2004,,list\n"
)


def test_adds_what_is_missing_and_keeps_corrections(tmp_path, capsys, fao_user):
    corrected = AgreementFactory(city__name_en="Seoul", city__name_th="โซล", signed_year=2006)
    path = tmp_path / "cities.csv"
    path.write_text(SAMPLE, encoding="utf-8")
    call_command("import_sister_cities", str(path), "--user", "fao")
    assert capsys.readouterr().out.strip() == "2 cities and 2 ties added, 1 already known."
    assert SisterCity.objects.get(name_en="Seoul").name_th == "โซล"
    assert Agreement.objects.filter(city=corrected.city).count() == 1
    tianjin = Agreement.objects.get(city__name_en="Tianjin")
    assert tianjin.form == Agreement.Form.OTHER
    assert tianjin.form_detail == "Friendship Exchanges and Cooperative Relationship"
    assert Agreement.objects.get(city__name_en="Hanoi").form == ""
    assert SisterCity.history.filter(history_user=fao_user).count() == 2
    call_command("import_sister_cities", str(path))
    assert capsys.readouterr().out.strip() == "0 cities and 0 ties added, 3 already known."


@pytest.mark.skipif(not SHARED_CSV.exists(), reason="shared/data is beside the repository")
def test_the_shared_partial_list_loads(capsys):
    call_command("import_sister_cities", str(SHARED_CSV))
    assert SisterCity.objects.count() == 17
    assert SisterCity.objects.get(name_en="Shanghai").agreements.get().form == (
        Agreement.Form.FRIENDSHIP_CITIES
    )
