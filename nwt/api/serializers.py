from rest_framework import serializers

from nwt.models import School


class SchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["id", "name", "level", "city", "partner_since"]
