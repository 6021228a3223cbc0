
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('policy', '0002_parameter_valid_to'),
        ('policy', '0003_code_lists_from_choices'),
    ]

    operations = [
    ]
