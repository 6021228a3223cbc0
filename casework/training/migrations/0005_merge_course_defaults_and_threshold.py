
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0004_course_defaults_from_policy'),
        ('training', '0004_enrolment_attendance_threshold'),
    ]

    operations = [
    ]
