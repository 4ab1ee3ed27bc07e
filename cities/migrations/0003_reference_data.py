"""Reference data: the fields a sister-city tie can cover. `is_economic` marks the fields
that make a city a candidate for a session (trade, commerce, investment, economy)."""

from django.db import migrations

FIELDS = [
    ("economy", "เศรษฐกิจ", "Economy", True),
    ("trade", "การค้า", "Trade", True),
    ("commerce", "พาณิชย์", "Commerce", True),
    ("investment", "การลงทุน", "Investment", True),
    ("city-management", "การบริหารจัดการเมือง", "City management", False),
    ("governance", "การปกครอง", "Governance", False),
    ("administration", "การบริหาร", "Administration", False),
    ("it", "เทคโนโลยีสารสนเทศ", "Information technology", False),
    ("transport", "การคมนาคมขนส่ง", "Transport", False),
    ("environment", "สิ่งแวดล้อม", "Environment", False),
    ("urban-planning", "การวางผังเมือง", "Urban planning", False),
    ("urban-development", "การพัฒนาเมือง", "Urban development", False),
    ("disaster-management", "การจัดการภัยพิบัติ", "Disaster management", False),
    ("culture", "วัฒนธรรม", "Culture", False),
    ("education", "การศึกษา", "Education", False),
    ("tourism", "การท่องเที่ยว", "Tourism", False),
    ("youth", "การพัฒนาเยาวชน", "Youth development", False),
    ("science-technology", "วิทยาศาสตร์และเทคโนโลยี", "Science and technology", False),
    ("food", "อาหาร", "Food", False),
    ("sport", "กีฬา", "Sport", False),
    ("health", "สาธารณสุข", "Health", False),
    ("visits", "การแลกเปลี่ยนการเยือน", "Exchange of visits", False),
]


def load(apps, schema_editor):
    CooperationField = apps.get_model("cities", "CooperationField")
    for code, th, en, economic in FIELDS:
        CooperationField.objects.update_or_create(
            code=code, defaults={"name_th": th, "name_en": en, "is_economic": economic}
        )


class Migration(migrations.Migration):
    dependencies = [("cities", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
