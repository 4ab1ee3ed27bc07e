"""django-parler's translations table for a product's texts in the buyers' languages."""

import django.db.models.deletion
import parler.fields
import parler.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class AlterModelBases(migrations.operations.base.Operation):
    """Django records a model's bases only when it creates the model, and has no operation
    to change them; parler needs the state's Product to carry its mixin from here on (and
    only from here: before this, a Product with the mixin and no translations model cannot
    be built). State only: no SQL."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, name, bases):
        self.name = name
        self.bases = bases

    def deconstruct(self):
        return self.__class__.__name__, [], {"name": self.name, "bases": self.bases}

    def state_forwards(self, app_label, state):
        model = state.models[app_label, self.name.lower()]
        model.bases = self.bases
        state.reload_model(app_label, self.name.lower(), delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Set the bases of {self.name}"


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0008_vendor_list_order_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AlterModelBases(name="Product", bases=(parler.models.TranslatableModelMixin, models.Model)),
        migrations.CreateModel(
            name="HistoricalProductTranslation",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "language_code",
                    models.CharField(
                        choices=[("ko", "한국어"), ("ja", "日本語"), ("zh-hans", "简体中文")],
                        db_index=True,
                        max_length=15,
                        verbose_name="language",
                    ),
                ),
                ("buyer_name", models.CharField(max_length=255, verbose_name="name")),
                ("buyer_description", models.TextField(blank=True, verbose_name="description")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "master",
                    parler.fields.TranslationsForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="vendors.product",
                        verbose_name="product",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical product text in a buyer's language",
                "verbose_name_plural": "historical product texts in buyers' languages",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ProductTranslation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language_code",
                    models.CharField(
                        choices=[("ko", "한국어"), ("ja", "日本語"), ("zh-hans", "简体中文")],
                        db_index=True,
                        max_length=15,
                        verbose_name="language",
                    ),
                ),
                ("buyer_name", models.CharField(max_length=255, verbose_name="name")),
                ("buyer_description", models.TextField(blank=True, verbose_name="description")),
                (
                    "master",
                    parler.fields.TranslationsForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="vendors.product",
                        verbose_name="product",
                    ),
                ),
            ],
            options={
                "verbose_name": "product text in a buyer's language",
                "verbose_name_plural": "product texts in buyers' languages",
                "default_permissions": ("add", "change", "delete", "view"),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("master", "language_code"),
                        name="producttranslation_one_per_language",
                    )
                ],
            },
            bases=(parler.models.TranslatedFieldsModelMixin, models.Model),
        ),
    ]
