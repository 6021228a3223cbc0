# LedgerImport now belongs to the ledgers app (ledgers 0001 takes it into its state; the table
# stays). The dashboard's right, declared on LedgerImport until now, is declared on
# CaseFileBatch; ledgers 0002 moves the content type and the permission rows.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_ledger_import'),
        ('ledgers', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='casefilebatch',
            options={'ordering': ['-created_at', '-id'], 'permissions': [('view_dashboard', 'View the dashboard of managed sites')], 'verbose_name': 'case-file batch', 'verbose_name_plural': 'case-file batches'},
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(
                    name='LedgerImport',
                ),
            ],
        ),
    ]
