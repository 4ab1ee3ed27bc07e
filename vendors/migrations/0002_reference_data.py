"""Reference data: the five Bangkok Brand categories, Bangkok's 50 districts (with their
official district codes) and the languages vendors and city contacts work in."""

from django.db import migrations

CATEGORIES = [
    (1, "ผลิตภัณฑ์อาหาร", "Food products"),
    (2, "ผลิตภัณฑ์เครื่องดื่ม", "Beverage products"),
    (3, "ผลิตภัณฑ์ผ้าและเครื่องแต่งกาย", "Textile and clothing products"),
    (4, "ผลิตภัณฑ์ของใช้ ของที่ระลึก ของตกแต่ง", "Souvenir, utensil and decorative products"),
    (5, "ผลิตภัณฑ์สมุนไพรที่ไม่ใช่อาหาร", "Non-food herbal products"),
]

DISTRICTS = [
    (1001, "พระนคร", "Phra Nakhon"),
    (1002, "ดุสิต", "Dusit"),
    (1003, "หนองจอก", "Nong Chok"),
    (1004, "บางรัก", "Bang Rak"),
    (1005, "บางเขน", "Bang Khen"),
    (1006, "บางกะปิ", "Bang Kapi"),
    (1007, "ปทุมวัน", "Pathum Wan"),
    (1008, "ป้อมปราบศัตรูพ่าย", "Pom Prap Sattru Phai"),
    (1009, "พระโขนง", "Phra Khanong"),
    (1010, "มีนบุรี", "Min Buri"),
    (1011, "ลาดกระบัง", "Lat Krabang"),
    (1012, "ยานนาวา", "Yan Nawa"),
    (1013, "สัมพันธวงศ์", "Samphanthawong"),
    (1014, "พญาไท", "Phaya Thai"),
    (1015, "ธนบุรี", "Thon Buri"),
    (1016, "บางกอกใหญ่", "Bangkok Yai"),
    (1017, "ห้วยขวาง", "Huai Khwang"),
    (1018, "คลองสาน", "Khlong San"),
    (1019, "ตลิ่งชัน", "Taling Chan"),
    (1020, "บางกอกน้อย", "Bangkok Noi"),
    (1021, "บางขุนเทียน", "Bang Khun Thian"),
    (1022, "ภาษีเจริญ", "Phasi Charoen"),
    (1023, "หนองแขม", "Nong Khaem"),
    (1024, "ราษฎร์บูรณะ", "Rat Burana"),
    (1025, "บางพลัด", "Bang Phlat"),
    (1026, "ดินแดง", "Din Daeng"),
    (1027, "บึงกุ่ม", "Bueng Kum"),
    (1028, "สาทร", "Sathon"),
    (1029, "บางซื่อ", "Bang Sue"),
    (1030, "จตุจักร", "Chatuchak"),
    (1031, "บางคอแหลม", "Bang Kho Laem"),
    (1032, "ประเวศ", "Prawet"),
    (1033, "คลองเตย", "Khlong Toei"),
    (1034, "สวนหลวง", "Suan Luang"),
    (1035, "จอมทอง", "Chom Thong"),
    (1036, "ดอนเมือง", "Don Mueang"),
    (1037, "ราชเทวี", "Ratchathewi"),
    (1038, "ลาดพร้าว", "Lat Phrao"),
    (1039, "วัฒนา", "Watthana"),
    (1040, "บางแค", "Bang Khae"),
    (1041, "หลักสี่", "Lak Si"),
    (1042, "สายไหม", "Sai Mai"),
    (1043, "คันนายาว", "Khan Na Yao"),
    (1044, "สะพานสูง", "Saphan Sung"),
    (1045, "วังทองหลาง", "Wang Thonglang"),
    (1046, "คลองสามวา", "Khlong Sam Wa"),
    (1047, "บางนา", "Bang Na"),
    (1048, "ทวีวัฒนา", "Thawi Watthana"),
    (1049, "ทุ่งครุ", "Thung Khru"),
    (1050, "บางบอน", "Bang Bon"),
]

LANGUAGES = [
    ("th", "ไทย", "Thai"),
    ("en", "อังกฤษ", "English"),
    ("zh", "จีน", "Chinese"),
    ("ja", "ญี่ปุ่น", "Japanese"),
    ("ko", "เกาหลี", "Korean"),
    ("ru", "รัสเซีย", "Russian"),
    ("vi", "เวียดนาม", "Vietnamese"),
    ("fr", "ฝรั่งเศส", "French"),
    ("de", "เยอรมัน", "German"),
    ("hu", "ฮังการี", "Hungarian"),
    ("id", "อินโดนีเซีย", "Indonesian"),
    ("lo", "ลาว", "Lao"),
    ("km", "เขมร", "Khmer"),
    ("ms", "มลายู", "Malay"),
]


def load(apps, schema_editor):
    ProductCategory = apps.get_model("vendors", "ProductCategory")
    District = apps.get_model("vendors", "District")
    Language = apps.get_model("vendors", "Language")
    for code, th, en in CATEGORIES:
        ProductCategory.objects.update_or_create(code=code, defaults={"name_th": th, "name_en": en})
    for code, th, en in DISTRICTS:
        District.objects.update_or_create(code=code, defaults={"name_th": th, "name_en": en})
    for code, th, en in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name_th": th, "name_en": en})


class Migration(migrations.Migration):
    dependencies = [("vendors", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
