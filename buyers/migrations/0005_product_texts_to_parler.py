"""The product texts in the buyers' languages move from buyers.ProductText to django-parler's
translations table, vendors.ProductTranslation; then the old table goes."""

from django.db import migrations


def copy_texts(apps, schema_editor):
    ProductText = apps.get_model("buyers", "ProductText")
    ProductTranslation = apps.get_model("vendors", "ProductTranslation")
    ProductTranslation.objects.bulk_create(
        [
            ProductTranslation(
                master_id=text.product_id,
                language_code=text.language,
                buyer_name=text.name,
                buyer_description=text.description,
            )
            for text in ProductText.objects.filter(language__in=("ko", "ja", "zh-hans"))
        ],
        ignore_conflicts=True,
    )


def copy_back(apps, schema_editor):
    ProductText = apps.get_model("buyers", "ProductText")
    ProductTranslation = apps.get_model("vendors", "ProductTranslation")
    ProductText.objects.bulk_create(
        [
            ProductText(
                product_id=row.master_id,
                language=row.language_code,
                name=row.buyer_name,
                description=row.buyer_description,
            )
            for row in ProductTranslation.objects.all()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("buyers", "0004_follow_up_meetings"),
        ("vendors", "0009_product_translation"),
    ]

    operations = [
        migrations.RunPython(copy_texts, copy_back),
        migrations.DeleteModel(name="HistoricalProductText"),
        migrations.DeleteModel(name="ProductText"),
    ]
