"""The documents' fixed wording: placeholders, their check, and the texts first seeded.

FAO edits the wording in the admin (TemplateText). `{name}` marks where the portal puts
its data; a name the document does not know is refused when the text is saved, so a typo
never reaches a signed letter. Each line of a body becomes a paragraph.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

COMMON = {"fiscal_year", "date"}
PLACEHOLDERS = {
    "approval_memo": COMMON | {"session_count", "sessions", "vendors_per_session", "kpi_target"},
    "working_group_order": COMMON
    | {"members", "approval_reference", "approved_on", "order_number"},
    "inquiry_letter": COMMON
    | {"city", "country", "agreement", "session_month", "vendors_per_session", "categories"},
    "order_transmittal": COMMON
    | {"order_number", "order_date", "session_number", "session_month", "cities"},
    "report_cover": COMMON
    | {"session_number", "session_date", "cities", "vendors_count", "vendors"},
}


def check_placeholders(kind: str, texts: dict[str, str]) -> None:
    known = PLACEHOLDERS.get(kind, COMMON)
    errors = {}
    for field, text in texts.items():
        unknown = sorted(set(PLACEHOLDER.findall(text or "")) - known)
        if unknown:
            errors[field] = _("Unknown placeholders: %(names)s. Known: %(known)s.") % {
                "names": ", ".join("{" + n + "}" for n in unknown),
                "known": ", ".join("{" + n + "}" for n in sorted(known)),
            }
    if errors:
        raise ValidationError(errors)


def fill(text: str, values: dict[str, str]) -> str:
    """Put the data in; a placeholder without data stays visible for the officer to fill."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


FAO_TH = "สำนักงานการต่างประเทศ"
FAO_EN = "Foreign Affairs Office"
MEMO_OFFICE_TH = "สำนักงานการต่างประเทศ (ส่วนการต่างประเทศ โทร. ๐ ๒๒๒๔ ๗๖๔๐)"
MEMO_OFFICE_EN = "Foreign Affairs Office (International Affairs Division, Tel. 0 2224 7640)"
FAO_DIRECTOR_TH = ("(นาย/นาง .............................)", "ผู้อำนวยการสำนักงานการต่างประเทศ")
FAO_DIRECTOR_EN = ("(.................................)", "Director, Foreign Affairs Office")

# kind -> part -> (Thai, English, what the part is)
DEFAULT_TEXTS: dict[str, dict[str, tuple[str, str, str]]] = {
    "approval_memo": {
        "office": (MEMO_OFFICE_TH, MEMO_OFFICE_EN, "ส่วนราชการ / Division"),
        "subject": (
            "ขออนุมัติหลักการดำเนินโครงการส่งเสริมผลิตภัณฑ์ Bangkok Brand กับเมืองพี่เมืองน้อง "
            "ผ่านการประชุมทางไกล ประจำปีงบประมาณ พ.ศ. {fiscal_year}",
            "Approval in principle of the Bangkok Brand promotion with sister cities by video "
            "conference, fiscal year {fiscal_year}",
            "เรื่อง / Subject",
        ),
        "to": ("ผู้ว่าราชการกรุงเทพมหานคร", "The Governor of Bangkok", "เรียน / To"),
        "body": (
            "ด้วยสำนักงานการต่างประเทศได้ศึกษาแนวทางส่งเสริมผลิตภัณฑ์ Bangkok Brand "
            "ไปยังเมืองพี่เมืองน้องของกรุงเทพมหานครผ่านการประชุมทางไกล (Microsoft Teams) "
            "เพื่อขยายช่องทางให้ผู้ประกอบการได้พบปะและทำการค้ากับภาคธุรกิจของเมืองพี่เมืองน้อง\n"
            "ในปีงบประมาณ พ.ศ. {fiscal_year} สำนักงานการต่างประเทศจะจัดการประชุมทางไกล "
            "จำนวน {session_count} ครั้ง ครั้งละประมาณ {vendors_per_session} ราย ดังนี้\n"
            "{sessions}\n"
            "โดยมีเป้าหมายให้ผู้ประกอบการที่เข้าร่วมไม่น้อยกว่าร้อยละ {kpi_target} "
            "ได้ติดต่อกับภาคธุรกิจหรือลูกค้าในเมืองพี่เมืองน้อง และไม่ใช้งบประมาณ\n"
            "จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติในหลักการ และให้ปลัดกรุงเทพมหานคร"
            "ลงนามในคำสั่งแต่งตั้งคณะทำงานที่แนบมาพร้อมนี้",
            "The Foreign Affairs Office has studied how to promote Bangkok Brand products to "
            "Bangkok's sister cities by video conference (Microsoft Teams), so that vendors "
            "meet and trade with the cities' businesses.\n"
            "In fiscal year {fiscal_year} the Office will hold {session_count} video "
            "conferences, each with about {vendors_per_session} vendors:\n"
            "{sessions}\n"
            "The target is that at least {kpi_target}% of the vendors taking part contact a "
            "business or customer in a sister city. No budget is used.\n"
            "The Office therefore asks for your approval in principle, and for the Permanent "
            "Secretary to sign the attached order appointing the working group.",
            "ข้อความ / Body",
        ),
        "signer_name": (FAO_DIRECTOR_TH[0], FAO_DIRECTOR_EN[0], "ผู้ลงนาม / Signer"),
        "signer_title": (FAO_DIRECTOR_TH[1], FAO_DIRECTOR_EN[1], "ตำแหน่ง / Title"),
    },
    "working_group_order": {
        "heading": ("คำสั่งกรุงเทพมหานคร", "Bangkok Metropolitan Administration Order", "หัว"),
        "subject": (
            "แต่งตั้งคณะทำงานโครงการส่งเสริมผลิตภัณฑ์ Bangkok Brand กับเมืองพี่เมืองน้อง "
            "ผ่านการประชุมทางไกล ประจำปีงบประมาณ พ.ศ. {fiscal_year}",
            "Appointment of the working group of the Bangkok Brand promotion with sister "
            "cities by video conference, fiscal year {fiscal_year}",
            "เรื่อง / Subject",
        ),
        "body": (
            "ตามที่ผู้ว่าราชการกรุงเทพมหานครได้อนุมัติในหลักการตามบันทึกที่ {approval_reference} "
            "ลงวันที่ {approved_on} จึงแต่งตั้งคณะทำงาน ประกอบด้วย\n"
            "{members}\n"
            "ให้คณะทำงานมีหน้าที่ คัดเลือกผู้ประกอบการ Bangkok Brand ให้ตรงกับความสนใจของ"
            "เมืองพี่เมืองน้อง จัดเตรียมระบบการประชุมทางไกล ประสานงานกับเมืองพี่เมืองน้อง "
            "และติดตามประเมินผลการดำเนินงาน\n"
            "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
            "Further to the Governor's approval in principle of memo {approval_reference} "
            "dated {approved_on}, the working group is appointed as follows:\n"
            "{members}\n"
            "The working group selects Bangkok Brand vendors matching the interests of the "
            "sister cities, prepares the video conference system, coordinates with the sister "
            "cities, and follows up and evaluates the results.\n"
            "This order takes effect from today.",
            "ข้อความ / Body",
        ),
        "given": ("สั่ง ณ วันที่ {date}", "Given on {date}", "วันที่สั่ง / Given on"),
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
    },
    "inquiry_letter": {
        "sender": (
            "ศาลาว่าการกรุงเทพมหานคร\n๑๗๓ ถนนดินสอ เขตพระนคร\nกรุงเทพมหานคร ๑๐๒๐๐",
            "Bangkok Metropolitan Administration\n173 Dinso Road, Phra Nakhon\n"
            "Bangkok 10200, Thailand",
            "ที่ตั้งส่วนราชการ / Sender's address",
        ),
        "subject": (
            "การประชุมทางไกลส่งเสริมผลิตภัณฑ์ Bangkok Brand",
            "Video conference promoting Bangkok Brand products",
            "เรื่อง / Subject",
        ),
        "to": (
            "นายกเทศมนตรี{city}",
            "The Mayor of {city}, {country}",
            "เรียน / Addressee",
        ),
        "salutation": ("", "Dear Mayor,", "คำขึ้นต้นภาษาอังกฤษ / Salutation"),
        "body": (
            "ตามที่กรุงเทพมหานครและ{city}มีความสัมพันธ์ตาม{agreement} "
            "กรุงเทพมหานครขอเชิญ{city}เข้าร่วมการประชุมทางไกลผ่าน Microsoft Teams "
            "เพื่อแนะนำผลิตภัณฑ์ Bangkok Brand ในเดือน{session_month} "
            "โดยมีผู้ประกอบการประมาณ {vendors_per_session} รายนำเสนอผลิตภัณฑ์{categories}\n"
            "จึงเรียนมาเพื่อโปรดพิจารณาแจ้งผลการเข้าร่วม "
            "พร้อมผู้ประสานงานของ{city} จักขอบคุณยิ่ง",
            "Under the {agreement} between Bangkok and {city}, the Bangkok Metropolitan "
            "Administration has the honour to invite {city} to a video conference on "
            "Microsoft Teams introducing Bangkok Brand products in {session_month}, where "
            "about {vendors_per_session} Bangkok vendors will present {categories}.\n"
            "We should be grateful if you would let us know whether {city} can take part, "
            "and name a person we may coordinate with.",
            "ข้อความ / Body",
        ),
        "closing": ("ขอแสดงความนับถือ", "Yours sincerely,", "คำลงท้าย / Closing"),
        "signer_name": (FAO_DIRECTOR_TH[0], FAO_DIRECTOR_EN[0], "ผู้ลงนาม / Signer"),
        "signer_title": (FAO_DIRECTOR_TH[1], FAO_DIRECTOR_EN[1], "ตำแหน่ง / Title"),
        "contact": (
            "สำนักงานการต่างประเทศ\nโทร. ๐ ๒๒๒๔ ๗๖๔๐\nไปรษณีย์อิเล็กทรอนิกส์ fao@bangkok.go.th",
            "Foreign Affairs Office\nTel. +66 2224 7640\nE-mail fao@bangkok.go.th",
            "ส่วนราชการเจ้าของเรื่อง / Contact",
        ),
    },
    "order_transmittal": {
        "office": (MEMO_OFFICE_TH, MEMO_OFFICE_EN, "ส่วนราชการ / Division"),
        "subject": (
            "ส่งคำสั่งแต่งตั้งคณะทำงานและขอความร่วมมือจัดการประชุมทางไกล ครั้งที่ {session_number}",
            "The working group's order, and the preparation of video conference {session_number}",
            "เรื่อง / Subject",
        ),
        "to": (
            "ผู้อำนวยการสำนักพัฒนาสังคม และผู้อำนวยการสำนักยุทธศาสตร์และประเมินผล",
            "The Director of the Social Development Office and the Director of the Strategy "
            "and Evaluation Office",
            "เรียน / To",
        ),
        "body": (
            "ตามคำสั่งกรุงเทพมหานครที่ {order_number} ลงวันที่ {order_date} "
            "แต่งตั้งคณะทำงานโครงการส่งเสริมผลิตภัณฑ์ Bangkok Brand กับเมืองพี่เมืองน้อง "
            "ผ่านการประชุมทางไกล ประจำปีงบประมาณ พ.ศ. {fiscal_year} รายละเอียดตามสิ่งที่ส่งมาด้วย\n"
            "สำนักงานการต่างประเทศจะจัดการประชุมทางไกลครั้งที่ {session_number} กับ{cities} "
            "ในเดือน{session_month} จึงขอความร่วมมือสำนักพัฒนาสังคมคัดเลือกผู้ประกอบการ "
            "และสำนักยุทธศาสตร์และประเมินผลจัดเตรียมระบบ Microsoft Teams\n"
            "จึงเรียนมาเพื่อโปรดทราบและดำเนินการต่อไป",
            "The order of the Bangkok Metropolitan Administration No. {order_number} dated "
            "{order_date} appointed the working group of the Bangkok Brand promotion with "
            "sister cities by video conference for fiscal year {fiscal_year}; it is enclosed.\n"
            "The Foreign Affairs Office will hold video conference {session_number} with "
            "{cities} in {session_month}. The Social Development Office is asked to shortlist "
            "the vendors, and the Strategy and Evaluation Office to prepare Microsoft Teams.\n"
            "For your information and action.",
            "ข้อความ / Body",
        ),
        "signer_name": (FAO_DIRECTOR_TH[0], FAO_DIRECTOR_EN[0], "ผู้ลงนาม / Signer"),
        "signer_title": (FAO_DIRECTOR_TH[1], FAO_DIRECTOR_EN[1], "ตำแหน่ง / Title"),
    },
    "report_cover": {
        "office": (MEMO_OFFICE_TH, MEMO_OFFICE_EN, "ส่วนราชการ / Division"),
        "subject": (
            "รายงานผลการประชุมทางไกลส่งเสริมผลิตภัณฑ์ Bangkok Brand ครั้งที่ {session_number}",
            "Report of video conference {session_number} promoting Bangkok Brand products",
            "เรื่อง / Subject",
        ),
        "to": ("ผู้ว่าราชการกรุงเทพมหานคร", "The Governor of Bangkok", "เรียน / To"),
        "body": (
            "สำนักงานการต่างประเทศได้จัดการประชุมทางไกลครั้งที่ {session_number} กับ{cities} "
            "เมื่อวันที่ {session_date} โดยมีผู้ประกอบการ Bangkok Brand เข้าร่วม "
            "{vendors_count} ราย ได้แก่\n"
            "{vendors}\n"
            "สำนักงานการต่างประเทศได้สรุปผล ประเมินผล ปัญหาอุปสรรค และข้อเสนอแนะ "
            "รายละเอียดตามรายงานที่แนบมาพร้อมนี้\n"
            "จึงเรียนมาเพื่อโปรดทราบ",
            "The Foreign Affairs Office held video conference {session_number} with {cities} "
            "on {session_date}, with {vendors_count} Bangkok Brand vendors:\n"
            "{vendors}\n"
            "The attached report summarises and evaluates the session, with its problems and "
            "recommendations.\n"
            "For your information.",
            "ข้อความ / Body",
        ),
        "signer_name": (FAO_DIRECTOR_TH[0], FAO_DIRECTOR_EN[0], "ผู้ลงนาม / Signer"),
        "signer_title": (FAO_DIRECTOR_TH[1], FAO_DIRECTOR_EN[1], "ตำแหน่ง / Title"),
    },
}
