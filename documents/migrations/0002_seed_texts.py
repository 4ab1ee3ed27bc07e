"""The documents' fixed wording as first written; FAO edits it in the admin from then on.

A copy, not an import of documents.texts: a migration must keep meaning what it meant."""

from django.db import migrations

TEXTS = {
    "approval_memo": {
        "body": (
            "ด้วยสำนักงานการต่างประเทศได้ศึกษาแนวทางส่งเสริมผลิตภัณฑ์ Bangkok "
            "Brand ไปยังเมืองพี่เมืองน้องของกรุงเทพมหานครผ่านการประชุมทางไกล "
            "(Microsoft Teams) "
            "เพื่อขยายช่องทางให้ผู้ประกอบการได้พบปะและทำการค้ากับภาคธุรกิจของเมืองพี่เมืองน้อง\n"
            "ในปีงบประมาณ พ.ศ. {fiscal_year} "
            "สำนักงานการต่างประเทศจะจัดการประชุมทางไกล จำนวน {session_count} "
            "ครั้ง ครั้งละประมาณ {vendors_per_session} ราย ดังนี้\n"
            "{sessions}\n"
            "โดยมีเป้าหมายให้ผู้ประกอบการที่เข้าร่วมไม่น้อยกว่าร้อยละ "
            "{kpi_target} ได้ติดต่อกับภาคธุรกิจหรือลูกค้าในเมืองพี่เมืองน้อง "
            "และไม่ใช้งบประมาณ\n"
            "จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติในหลักการ "
            "และให้ปลัดกรุงเทพมหานครลงนามในคำสั่งแต่งตั้งคณะทำงานที่แนบมาพร้อมนี้",
            "The Foreign Affairs Office has studied how to promote Bangkok "
            "Brand products to Bangkok's sister cities by video conference "
            "(Microsoft Teams), so that vendors meet and trade with the "
            "cities' businesses.\n"
            "In fiscal year {fiscal_year} the Office will hold "
            "{session_count} video conferences, each with about "
            "{vendors_per_session} vendors:\n"
            "{sessions}\n"
            "The target is that at least {kpi_target}% of the vendors taking "
            "part contact a business or customer in a sister city. No budget "
            "is used.\n"
            "The Office therefore asks for your approval in principle, and "
            "for the Permanent Secretary to sign the attached order "
            "appointing the working group.",
            "ข้อความ / Body",
        ),
        "office": (
            "สำนักงานการต่างประเทศ (ส่วนการต่างประเทศ โทร. ๐ ๒๒๒๔ ๗๖๔๐)",
            "Foreign Affairs Office (International Affairs Division, Tel. 0 2224 7640)",
            "ส่วนราชการ / Division",
        ),
        "signer_name": (
            "(นาย/นาง .............................)",
            "(.................................)",
            "ผู้ลงนาม / Signer",
        ),
        "signer_title": (
            "ผู้อำนวยการสำนักงานการต่างประเทศ",
            "Director, Foreign Affairs Office",
            "ตำแหน่ง / Title",
        ),
        "subject": (
            "ขออนุมัติหลักการดำเนินโครงการส่งเสริมผลิตภัณฑ์ Bangkok Brand "
            "กับเมืองพี่เมืองน้อง ผ่านการประชุมทางไกล ประจำปีงบประมาณ พ.ศ. "
            "{fiscal_year}",
            "Approval in principle of the Bangkok Brand promotion with "
            "sister cities by video conference, fiscal year {fiscal_year}",
            "เรื่อง / Subject",
        ),
        "to": ("ผู้ว่าราชการกรุงเทพมหานคร", "The Governor of Bangkok", "เรียน / To"),
    },
    "inquiry_letter": {
        "body": (
            "ตามที่กรุงเทพมหานครและ{city}มีความสัมพันธ์ตาม{agreement} "
            "กรุงเทพมหานครขอเชิญ{city}เข้าร่วมการประชุมทางไกลผ่าน Microsoft "
            "Teams เพื่อแนะนำผลิตภัณฑ์ Bangkok Brand ในเดือน{session_month} "
            "โดยมีผู้ประกอบการประมาณ {vendors_per_session} "
            "รายนำเสนอผลิตภัณฑ์{categories}\n"
            "จึงเรียนมาเพื่อโปรดพิจารณาแจ้งผลการเข้าร่วม "
            "พร้อมผู้ประสานงานของ{city} จักขอบคุณยิ่ง",
            "Under the {agreement} between Bangkok and {city}, the Bangkok "
            "Metropolitan Administration has the honour to invite {city} to "
            "a video conference on Microsoft Teams introducing Bangkok Brand "
            "products in {session_month}, where about {vendors_per_session} "
            "Bangkok vendors will present {categories}.\n"
            "We should be grateful if you would let us know whether {city} "
            "can take part, and name a person we may coordinate with.",
            "ข้อความ / Body",
        ),
        "closing": ("ขอแสดงความนับถือ", "Yours sincerely,", "คำลงท้าย / Closing"),
        "contact": (
            "สำนักงานการต่างประเทศ\nโทร. ๐ ๒๒๒๔ ๗๖๔๐\nไปรษณีย์อิเล็กทรอนิกส์ fao@bangkok.go.th",
            "Foreign Affairs Office\nTel. +66 2224 7640\nE-mail fao@bangkok.go.th",
            "ส่วนราชการเจ้าของเรื่อง / Contact",
        ),
        "salutation": ("", "Dear Mayor,", "คำขึ้นต้นภาษาอังกฤษ / Salutation"),
        "sender": (
            "ศาลาว่าการกรุงเทพมหานคร\n๑๗๓ ถนนดินสอ เขตพระนคร\nกรุงเทพมหานคร ๑๐๒๐๐",
            "Bangkok Metropolitan Administration\n"
            "173 Dinso Road, Phra Nakhon\n"
            "Bangkok 10200, Thailand",
            "ที่ตั้งส่วนราชการ / Sender's address",
        ),
        "signer_name": (
            "(นาย/นาง .............................)",
            "(.................................)",
            "ผู้ลงนาม / Signer",
        ),
        "signer_title": (
            "ผู้อำนวยการสำนักงานการต่างประเทศ",
            "Director, Foreign Affairs Office",
            "ตำแหน่ง / Title",
        ),
        "subject": (
            "การประชุมทางไกลส่งเสริมผลิตภัณฑ์ Bangkok Brand",
            "Video conference promoting Bangkok Brand products",
            "เรื่อง / Subject",
        ),
        "to": ("นายกเทศมนตรี{city}", "The Mayor of {city}, {country}", "เรียน / Addressee"),
    },
    "order_transmittal": {
        "body": (
            "ตามคำสั่งกรุงเทพมหานครที่ {order_number} ลงวันที่ "
            "{order_date} แต่งตั้งคณะทำงานโครงการส่งเสริมผลิตภัณฑ์ "
            "Bangkok Brand กับเมืองพี่เมืองน้อง ผ่านการประชุมทางไกล "
            "ประจำปีงบประมาณ พ.ศ. {fiscal_year} "
            "รายละเอียดตามสิ่งที่ส่งมาด้วย\n"
            "สำนักงานการต่างประเทศจะจัดการประชุมทางไกลครั้งที่ "
            "{session_number} กับ{cities} ในเดือน{session_month} "
            "จึงขอความร่วมมือสำนักพัฒนาสังคมคัดเลือกผู้ประกอบการ "
            "และสำนักยุทธศาสตร์และประเมินผลจัดเตรียมระบบ Microsoft Teams\n"
            "จึงเรียนมาเพื่อโปรดทราบและดำเนินการต่อไป",
            "The order of the Bangkok Metropolitan Administration No. "
            "{order_number} dated {order_date} appointed the working "
            "group of the Bangkok Brand promotion with sister cities by "
            "video conference for fiscal year {fiscal_year}; it is "
            "enclosed.\n"
            "The Foreign Affairs Office will hold video conference "
            "{session_number} with {cities} in {session_month}. The "
            "Social Development Office is asked to shortlist the vendors, "
            "and the Strategy and Evaluation Office to prepare Microsoft "
            "Teams.\n"
            "For your information and action.",
            "ข้อความ / Body",
        ),
        "office": (
            "สำนักงานการต่างประเทศ (ส่วนการต่างประเทศ โทร. ๐ ๒๒๒๔ ๗๖๔๐)",
            "Foreign Affairs Office (International Affairs Division, Tel. 0 2224 7640)",
            "ส่วนราชการ / Division",
        ),
        "signer_name": (
            "(นาย/นาง .............................)",
            "(.................................)",
            "ผู้ลงนาม / Signer",
        ),
        "signer_title": (
            "ผู้อำนวยการสำนักงานการต่างประเทศ",
            "Director, Foreign Affairs Office",
            "ตำแหน่ง / Title",
        ),
        "subject": (
            "ส่งคำสั่งแต่งตั้งคณะทำงานและขอความร่วมมือจัดการประชุมทางไกล ครั้งที่ {session_number}",
            "The working group's order, and the preparation of video conference {session_number}",
            "เรื่อง / Subject",
        ),
        "to": (
            "ผู้อำนวยการสำนักพัฒนาสังคม และผู้อำนวยการสำนักยุทธศาสตร์และประเมินผล",
            "The Director of the Social Development Office and the Director "
            "of the Strategy and Evaluation Office",
            "เรียน / To",
        ),
    },
    "report_cover": {
        "body": (
            "สำนักงานการต่างประเทศได้จัดการประชุมทางไกลครั้งที่ "
            "{session_number} กับ{cities} เมื่อวันที่ {session_date} "
            "โดยมีผู้ประกอบการ Bangkok Brand เข้าร่วม {vendors_count} ราย "
            "ได้แก่\n"
            "{vendors}\n"
            "สำนักงานการต่างประเทศได้สรุปผล ประเมินผล ปัญหาอุปสรรค "
            "และข้อเสนอแนะ รายละเอียดตามรายงานที่แนบมาพร้อมนี้\n"
            "จึงเรียนมาเพื่อโปรดทราบ",
            "The Foreign Affairs Office held video conference {session_number} "
            "with {cities} on {session_date}, with {vendors_count} Bangkok "
            "Brand vendors:\n"
            "{vendors}\n"
            "The attached report summarises and evaluates the session, with "
            "its problems and recommendations.\n"
            "For your information.",
            "ข้อความ / Body",
        ),
        "office": (
            "สำนักงานการต่างประเทศ (ส่วนการต่างประเทศ โทร. ๐ ๒๒๒๔ ๗๖๔๐)",
            "Foreign Affairs Office (International Affairs Division, Tel. 0 2224 7640)",
            "ส่วนราชการ / Division",
        ),
        "signer_name": (
            "(นาย/นาง .............................)",
            "(.................................)",
            "ผู้ลงนาม / Signer",
        ),
        "signer_title": (
            "ผู้อำนวยการสำนักงานการต่างประเทศ",
            "Director, Foreign Affairs Office",
            "ตำแหน่ง / Title",
        ),
        "subject": (
            "รายงานผลการประชุมทางไกลส่งเสริมผลิตภัณฑ์ Bangkok Brand ครั้งที่ {session_number}",
            "Report of video conference {session_number} promoting Bangkok Brand products",
            "เรื่อง / Subject",
        ),
        "to": ("ผู้ว่าราชการกรุงเทพมหานคร", "The Governor of Bangkok", "เรียน / To"),
    },
    "working_group_order": {
        "body": (
            "ตามที่ผู้ว่าราชการกรุงเทพมหานครได้อนุมัติในหลักการตามบันทึกที่ "
            "{approval_reference} ลงวันที่ {approved_on} "
            "จึงแต่งตั้งคณะทำงาน ประกอบด้วย\n"
            "{members}\n"
            "ให้คณะทำงานมีหน้าที่ คัดเลือกผู้ประกอบการ Bangkok Brand "
            "ให้ตรงกับความสนใจของเมืองพี่เมืองน้อง "
            "จัดเตรียมระบบการประชุมทางไกล ประสานงานกับเมืองพี่เมืองน้อง "
            "และติดตามประเมินผลการดำเนินงาน\n"
            "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
            "Further to the Governor's approval in principle of memo "
            "{approval_reference} dated {approved_on}, the working "
            "group is appointed as follows:\n"
            "{members}\n"
            "The working group selects Bangkok Brand vendors matching "
            "the interests of the sister cities, prepares the video "
            "conference system, coordinates with the sister cities, and "
            "follows up and evaluates the results.\n"
            "This order takes effect from today.",
            "ข้อความ / Body",
        ),
        "given": ("สั่ง ณ วันที่ {date}", "Given on {date}", "วันที่สั่ง / Given on"),
        "heading": ("คำสั่งกรุงเทพมหานคร", "Bangkok Metropolitan Administration Order", "หัว"),
        "signer_name": (
            "(นาย/นาง .............................)",
            "(.................................)",
            "ผู้ลงนาม / Signer",
        ),
        "signer_title": (
            "ปลัดกรุงเทพมหานคร",
            "Permanent Secretary for the Bangkok Metropolitan Administration",
            "ตำแหน่ง / Title",
        ),
        "subject": (
            "แต่งตั้งคณะทำงานโครงการส่งเสริมผลิตภัณฑ์ Bangkok Brand "
            "กับเมืองพี่เมืองน้อง ผ่านการประชุมทางไกล "
            "ประจำปีงบประมาณ พ.ศ. {fiscal_year}",
            "Appointment of the working group of the Bangkok Brand "
            "promotion with sister cities by video conference, "
            "fiscal year {fiscal_year}",
            "เรื่อง / Subject",
        ),
    },
}


def seed(apps, schema_editor):
    TemplateText = apps.get_model("documents", "TemplateText")
    for kind, parts in TEXTS.items():
        for key, (text_th, text_en, help_text) in parts.items():
            TemplateText.objects.get_or_create(
                kind=kind,
                key=key,
                defaults={"text_th": text_th, "text_en": text_en, "help": help_text},
            )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
