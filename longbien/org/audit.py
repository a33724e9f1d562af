from auditlog.registry import auditlog

from longbien.audit import DERIVED_FIELDS

from .models import OrgUnit, Person, Position, PositionHistory, RoleAssignment, Term, User

auditlog.register(OrgUnit, exclude_fields=DERIVED_FIELDS)
auditlog.register(Term)
auditlog.register(Position)
auditlog.register(Person, exclude_fields=DERIVED_FIELDS)
auditlog.register(PositionHistory)
auditlog.register(RoleAssignment)
auditlog.register(
    User,
    include_fields=[
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_staff",
        "is_superuser",
        "person",
    ],
)
