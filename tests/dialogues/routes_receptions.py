"""Route table entries of the citizen reception sessions and the "skilful mass mobilisation"
models (the dialogues area, as the dialogues pages: staff, the mass-mobilisation role and the
admin everywhere, the ward's secretary and staff on their ward, leadership reads; ward B's
record is a 404 for the ward roles)."""

from __future__ import annotations

from typing import Any

from tests.dialogues.routes_dialogues import (
    DLG_CHANGE,
    DLG_CHANGE_OUT,
    DLG_VIEW,
    DLG_VIEW_OUT,
    WRITE_OUT,
)
from tests.routes import Route, Write, _r, statuses


def _on(url_name: str, attr: str) -> Any:
    return lambda b, s: _r(url_name, pk=getattr(s.dlg, attr).pk)


def _dlg(attr: str) -> Any:
    return lambda b, s: getattr(s.dlg, attr)


def _reception(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"unit": s.ward.pk, "held_on": "20/03/2026", "leader": f"Chủ tịch phường ({role})",
            "leader_title": "Chủ tịch UBND phường", "place": "Trụ sở tiếp công dân",
            "citizens": "4", "notes": ""}  # fmt: skip


def _reception_update(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"held_on": "15/03/2026", "leader": f"Phó Bí thư ({role})", "leader_title": "",
            "place": "Nhà văn hóa tổ dân phố 3", "citizens": "9", "notes": "Đông người dự",
            "reason": "Đính chính"}  # fmt: skip


def _model(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"unit": s.ward.pk, "year": "2025", "name": f"Ngõ phố sạch đẹp ({role})",
            "field": "urban", "recognition": "ward", "description": ""}  # fmt: skip


def _model_update(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"year": "2025", "name": f"Tuyến phố văn minh ({role})", "field": "culture",
            "recognition": "city", "description": "Nhân rộng ra toàn phường",
            "reason": "Đính chính"}  # fmt: skip


ROUTES: list[Any] = [
    Route("dialogues:reception_list", lambda b, s: _r("dialogues:reception_list"), get=DLG_VIEW,
          listing=True),
    Route("dialogues:reception_create", lambda b, s: _r("dialogues:reception_create"),
          get=DLG_CHANGE,
          write=Write(statuses(DLG_CHANGE, 302), data=_reception, model="dialogues.Reception",
                      audited=lambda b, s: "dialogues.Reception")),
    Route("dialogues:reception_detail", _on("dialogues:reception_detail", "reception"),
          get=DLG_VIEW, scoped=True, out=DLG_VIEW_OUT),
    Route("dialogues:reception_update", _on("dialogues:reception_update", "reception"),
          get=DLG_CHANGE, scoped=True, out=DLG_CHANGE_OUT,
          write=Write(statuses(DLG_CHANGE, 302), data=_reception_update, out=WRITE_OUT,
                      record=_dlg("reception"), audited=_dlg("reception"))),
    Route("dialogues:model_list", lambda b, s: _r("dialogues:model_list"), get=DLG_VIEW,
          listing=True),
    Route("dialogues:model_create", lambda b, s: _r("dialogues:model_create"), get=DLG_CHANGE,
          write=Write(statuses(DLG_CHANGE, 302), data=_model,
                      model="dialogues.MobilisationModel",
                      audited=lambda b, s: "dialogues.MobilisationModel")),
    Route("dialogues:model_detail", _on("dialogues:model_detail", "model"), get=DLG_VIEW,
          scoped=True, out=DLG_VIEW_OUT),
    Route("dialogues:model_update", _on("dialogues:model_update", "model"), get=DLG_CHANGE,
          scoped=True, out=DLG_CHANGE_OUT,
          write=Write(statuses(DLG_CHANGE, 302), data=_model_update, out=WRITE_OUT,
                      record=_dlg("model"), audited=_dlg("model"))),
]  # fmt: skip
