"""Demo procedures: 36 district and 26 grassroots procedures (15 of them on inspection) and
3 coordination regulations, as the 2015–2020 article reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import Procedure, ProcedureArea, ProcedureKind, ProcedureLevel

DISTRICT_AREAS = (
    [ProcedureArea.INSPECTION] * 15
    + [ProcedureArea.ORGANISATION] * 7
    + [ProcedureArea.OFFICE] * 6
    + [ProcedureArea.PROPAGANDA] * 4
    + [ProcedureArea.MASS_MOBILISATION] * 4
)
NAMES = {
    ProcedureArea.INSPECTION: "Quy trình kiểm tra, giám sát số",
    ProcedureArea.ORGANISATION: "Quy trình công tác tổ chức, cán bộ số",
    ProcedureArea.OFFICE: "Quy trình văn phòng cấp ủy số",
    ProcedureArea.PROPAGANDA: "Quy trình công tác tuyên giáo số",
    ProcedureArea.MASS_MOBILISATION: "Quy trình công tác dân vận số",
    ProcedureArea.PARTY_BUILDING: "Quy trình công tác xây dựng Đảng ở cơ sở số",
}


def load_demo(*, built: Any) -> str:
    root = built.units["QU-LB"]
    if Procedure.objects.filter(owner_unit=root).exists():
        return "đã có, bỏ qua"
    rows = []
    for number, area in enumerate(DISTRICT_AREAS, start=1):
        rows.append(Procedure(code=f"QT-QU-{number:02d}", name=f"{NAMES[area]} {number:02d}", area=area, level=ProcedureLevel.DISTRICT,
                              effective_date=dt.date(2016, 1, 1) + dt.timedelta(days=20 * number), owner_unit=root))  # fmt: skip
    for number in range(1, 27):
        rows.append(Procedure(code=f"QT-CS-{number:02d}", name=f"{NAMES[ProcedureArea.PARTY_BUILDING]} {number:02d}", area=ProcedureArea.PARTY_BUILDING,
                              level=ProcedureLevel.GRASSROOTS, effective_date=dt.date(2016, 6, 1) + dt.timedelta(days=25 * number), owner_unit=root))  # fmt: skip
    for number in range(1, 4):
        rows.append(Procedure(code=f"QCPH-{number:02d}", name=f"Quy chế phối hợp kiểm tra, giám sát số {number:02d} giữa UBKT Quận ủy và các cơ quan",
                              kind=ProcedureKind.COORDINATION, area=ProcedureArea.INSPECTION, level=ProcedureLevel.DISTRICT,
                              effective_date=dt.date(2017, 3, 1) + dt.timedelta(days=90 * number), owner_unit=root, iso_9001=False))  # fmt: skip
    for procedure in rows:
        procedure.save()
    return f"{len(rows)} quy trình, quy chế"
