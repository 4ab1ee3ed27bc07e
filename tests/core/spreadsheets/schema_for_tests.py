"""A small import, independent of the portal's models, to test the framework itself."""

from core.spreadsheets import (
    BooleanColumn,
    Choice,
    ChoiceColumn,
    DateColumn,
    IntegerColumn,
    Plan,
    PlanItem,
    SheetSchema,
    SpreadsheetImport,
    TextColumn,
    WorkbookSchema,
)

KINDS = [Choice("a", "แบบเอ", "Kind A", aliases=("1",)), Choice("b", "แบบบี", "Kind B")]


def schema() -> WorkbookSchema:
    return WorkbookSchema(
        [
            SheetSchema(
                key="items",
                th="รายการ",
                en="Items",
                identity=["name"],
                columns=[
                    TextColumn("name", th="ชื่อ", en="Name", required=True, max_length=10),
                    IntegerColumn("quantity", th="จำนวน", en="Quantity", min_value=0),
                    DateColumn("when", th="วันที่", en="Date"),
                    ChoiceColumn("kind", th="ประเภท", en="Kind", choices=lambda: KINDS),
                    BooleanColumn("ok", th="ผ่าน", en="Passed", default=False),
                ],
            )
        ]
    )


class ItemsImport(SpreadsheetImport):
    entities = {"item": ("รายการ", "items")}
    written: list = []

    def build_schema(self):
        return schema()

    def make_plan(self, workbook, issues, plan: Plan) -> None:
        sheet = workbook.get("items")
        for row in sheet.valid_rows() if sheet else []:
            plan.add(
                PlanItem("create", "item", row.values["name"], sheet=sheet.name, row=row.number)
            )
            plan.payload.setdefault("rows", []).append(row.values)

    def apply(self, plan, *, acting_user) -> None:
        self.written.extend(plan.payload.get("rows", []))
