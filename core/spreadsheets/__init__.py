"""Excel imports that never half-import, and exports that are safe to open.

An import reads a whole ``.xlsx``, reports every problem at once (sheet, the row and column
Excel shows, the value, a message in the reader's language), shows a plan of what it will
create, update or leave unchanged, and writes only when the user confirms, in one
transaction. Re-importing the same file changes nothing.

Defining a new import (the six-monthly outcome form, say)::

    from core.spreadsheets import (
        Choice, ChoiceColumn, DateColumn, IntegerColumn, Plan, PlanItem, SheetSchema,
        SpreadsheetImport, TextColumn, WorkbookSchema, CREATE, UPDATE, UNCHANGED,
    )

    class OutcomeImport(SpreadsheetImport):
        entities = {"outcome": ("ผลการติดต่อ", "outcomes")}

        def build_schema(self):
            return WorkbookSchema([SheetSchema(
                key="outcomes", th="ผลการติดต่อ", en="Outcomes",
                identity=["certificate_number", "city"],   # duplicate-row check
                columns=[
                    TextColumn("certificate_number", th="เลขที่ใบรับรอง", en="Certificate number",
                               required=True, max_length=64, arabic_digits=True),
                    ChoiceColumn("city", th="เมือง", en="City", required=True,
                                 choices=lambda: [Choice(c.pk, c.name_th, c.name_en)
                                                  for c in SisterCity.objects.all()]),
                    IntegerColumn("quantity", th="จำนวนที่สั่ง", en="Quantity ordered",
                                  min_value=0),
                    DateColumn("contacted_on", th="วันที่ติดต่อ", en="Date of contact"),
                ],
            )])

        def make_plan(self, workbook, issues, plan):
            sheet = workbook.get("outcomes")
            if sheet is None:
                return
            # Load what exists in one query, compare, and add one PlanItem per row
            # (CREATE / UPDATE with Change(field_th, field_en, old, new) / UNCHANGED / DELETE);
            # keep what apply() needs in plan.payload. Skip rows whose `valid` is False.
            # A database rule becomes a cell error:
            #     sheet.cell_issue(issues, row, "quantity", "my_code", {"limit": 5})
            ...

        def apply(self, plan, *, acting_user):
            ...  # bulk writes from plan.payload; already inside one transaction

    result = OutcomeImport().validate(uploaded_file)         # preview, writes nothing
    result.as_dict()            # JSON for a job row: issues (rendered later in the
                                # reader's language with Issue.from_dict), plan counts
    OutcomeImport().commit(uploaded_file, acting_user=user,
                           expected_fingerprint=result.plan.fingerprint)  # or PlanChanged

The record of an upload and its steps are the same for every import: ``records.py``
(``UploadRecord``, ``QueuedUploadRecord``) and ``lifecycle.py`` (store the file and its
SHA-256, check, keep the plan, confirm from it, preview). vendors/imports.py (with
vendors/services.py, tasks.py and the import_detail template) is a complete example:
upload → Celery check with progress → preview → confirm → Celery write.

Columns: TextColumn (max_length, multiline, arabic_digits), IntegerColumn, DecimalColumn,
DateColumn (Excel dates, serial numbers, 23/11/2569, 2569-11-23, 23 พ.ย. 2569, Thai
digits; a year above 2400 is BE), BooleanColumn (yes/no, ใช่/ไม่ใช่), ChoiceColumn and
MultiChoiceColumn (choices loaded from the database once per import), EmailColumn,
URLColumn. A header matches the Thai name, the English name, both, or an alias; a
misspelt header gets the closest known one suggested. New message codes are added with
``messages.register(code=gettext_lazy("..."))``; put their msgids in your app's catalogue.

Before parsing, ``safety.check_workbook`` refuses empty and oversized files (settings
``UPLOAD_MAX_BYTES``), ``.xls``, renamed CSV and other non-xlsx files, password-protected
workbooks and zip bombs (``SPREADSHEET_MAX_UNCOMPRESSED_BYTES``); the reader enforces
``SPREADSHEET_MAX_ROWS`` and refuses merged header cells.

Exports: ``xlsx.write_export([ExportSheet(title, headers, rows)])`` and
``xlsx.write_template(schema, ...)`` (headers in both languages, drop-downs for choice
and yes/no columns, an instructions sheet); text that would run as a formula is
neutralised. For fast writes on PostgreSQL with a django-simple-history row per record,
``bulk.create`` / ``bulk.update`` (COPY) and ``bulk.instance`` (cheap unsaved instances).
"""

from .importer import (
    CREATE,
    DELETE,
    UNCHANGED,
    UPDATE,
    Change,
    ImportResult,
    Plan,
    PlanChanged,
    PlanItem,
    SpreadsheetImport,
)
from .messages import ERROR, WARNING, Issue
from .reader import Issues, ParsedRow, ParsedSheet, ParsedWorkbook
from .safety import Limits, WorkbookRejected
from .schema import (
    BooleanColumn,
    Choice,
    ChoiceColumn,
    Column,
    DateColumn,
    DecimalColumn,
    EmailColumn,
    IntegerColumn,
    MultiChoiceColumn,
    SheetSchema,
    TextColumn,
    URLColumn,
    WorkbookSchema,
)
from .xlsx import (
    XLSX_CONTENT_TYPE,
    ExportSheet,
    neutralise,
    write_export,
    write_export_into,
    write_template,
)

__all__ = [
    "CREATE",
    "DELETE",
    "ERROR",
    "UNCHANGED",
    "UPDATE",
    "WARNING",
    "XLSX_CONTENT_TYPE",
    "BooleanColumn",
    "Change",
    "Choice",
    "ChoiceColumn",
    "Column",
    "DateColumn",
    "DecimalColumn",
    "EmailColumn",
    "ExportSheet",
    "ImportResult",
    "IntegerColumn",
    "Issue",
    "Issues",
    "Limits",
    "MultiChoiceColumn",
    "ParsedRow",
    "ParsedSheet",
    "ParsedWorkbook",
    "Plan",
    "PlanChanged",
    "PlanItem",
    "SheetSchema",
    "SpreadsheetImport",
    "TextColumn",
    "URLColumn",
    "WorkbookRejected",
    "WorkbookSchema",
    "neutralise",
    "write_export",
    "write_export_into",
    "write_template",
]
