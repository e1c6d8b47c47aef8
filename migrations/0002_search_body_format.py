from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SearchBodyFormat',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.IntField()),
            ],
            options={'table': 'search_body_format', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The format the stored search bodies are written in (one row, see `seed.search_bodies`).'},
            bases=['Model'],
        ),
    ]
