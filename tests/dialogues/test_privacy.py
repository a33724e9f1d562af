"""A citizen's personal data (Nghị định 13/2023) is never written to the audit trail."""

from __future__ import annotations

from auditlog.models import LogEntry

from dialogues import services

from .conftest import receive


def test_the_citizens_name_phone_and_address_are_masked_in_the_trail(users, tree):
    staff = users["staff"]
    case = receive(staff, tree.ward_a, citizen_name="Nguyễn Thị Dânmẫu",
                   citizen_phone="0987654321", citizen_address="Số 9 ngõ Mẫu")  # fmt: skip
    services.case_update(actor=staff, case=case, citizen_phone="0911222333", reason="Sửa số")
    trail = " ".join(str(e.changes) for e in LogEntry.objects.get_for_object(case))
    for secret in ("Dânmẫu", "0987654321", "0911222333", "ngõ Mẫu"):
        assert secret not in trail
    assert "citizen" not in trail
