from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_outbound_email')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StoredFile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('filename', fields.CharField(max_length=255)),
                ('content_type', fields.CharField(max_length=100)),
                ('size', fields.IntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('content', fields.BinaryField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'stored_file', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A file kept in the database (at most `MAX_STORED_FILE_BYTES`), so that every worker and host'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboundEmailAttachment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('email', fields.ForeignKeyField('models.OutboundEmail', source_field='email_id', db_constraint=True, to_field='id', related_name='attachments', on_delete=OnDelete.CASCADE)),
                ('file', fields.ForeignKeyField('models.StoredFile', source_field='file_id', db_constraint=True, to_field='id', related_name='emails', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'outbound_email_attachment', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A file sent with one email, in the order attached.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='OutboundEmail',
            name='unsubscribe_url',
            field=fields.CharField(null=True, max_length=500),
        ),
    ]
