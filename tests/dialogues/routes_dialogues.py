"""Route table entries of the dialogues app (dialogues with citizens and their commitments).

The dialogues area: the admin, district staff and the mass-mobilisation role read and write
everywhere; the ward's secretary and staff on their ward; leadership reads; the inspection role
and the account without a role have no access (403). A record outside the scope is a 404.
"""

from __future__ import annotations

from typing import Any

from tests.routes import Route, Write, _r, only, statuses

DLG_VIEW = only(200, "admin", "staff", "leadership", "mass_mobilisation", "ward_secretary",
                "ward_staff")  # fmt: skip
DLG_CHANGE = only(200, "admin", "staff", "mass_mobilisation", "ward_secretary", "ward_staff")
# Ward B's record: the ward roles do not find it.
DLG_VIEW_OUT = {**DLG_VIEW, "ward_secretary": 404, "ward_staff": 404}
DLG_CHANGE_OUT = {**DLG_CHANGE, "ward_secretary": 404, "ward_staff": 404}
WRITE_OUT = statuses(DLG_CHANGE_OUT, 302, ward_secretary=404, ward_staff=404)


def _on(url_name: str, attr: str) -> Any:
    return lambda b, s: _r(url_name, pk=getattr(s.dlg, attr).pk)


def _dlg(attr: str) -> Any:
    return lambda b, s: getattr(s.dlg, attr)


def _dialogue(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "level": "ward", "unit": s.ward.pk, "held_on": "10/03/2026", "chair": "Bí thư phường",
        "topic": f"Đối thoại ({role})", "participants": "80",
        "issue1_content": "Đèn đường hỏng", "issue1_answer": "Đã sửa trong tuần",
        "issue2_content": "Rác thải tồn đọng", "issue2_commitment": "Thu gom hằng ngày",
        "issue2_owner_unit": s.cell.pk, "issue2_deadline": "04/05/2026",
    }  # fmt: skip


def _update(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"held_on": "10/03/2026", "chair": "Chủ tịch phường", "topic": f"Chủ đề sửa ({role})",
            "participants": "90", "reason": "Đính chính"}  # fmt: skip


def _issue(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"content": f"Ý kiến của {role}", "commitment": "Khơi thông cống",
            "owner_unit": s.cell.pk, "deadline": "04/05/2026"}  # fmt: skip


def _report(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"progress": "50", "evidence": f"Đang thực hiện ({role})"}


ROUTES: list[Any] = [
    Route("dialogues:dialogue_list", lambda b, s: _r("dialogues:dialogue_list"), get=DLG_VIEW,
          listing=True),
    Route("dialogues:dialogue_create", lambda b, s: _r("dialogues:dialogue_create"), get=DLG_CHANGE,
          write=Write(statuses(DLG_CHANGE, 302), data=_dialogue, model="dialogues.Dialogue",
                      audited=lambda b, s: "dialogues.Dialogue")),
    Route("dialogues:dialogue_detail", _on("dialogues:dialogue_detail", "dialogue"), get=DLG_VIEW,
          scoped=True, out=DLG_VIEW_OUT),
    Route("dialogues:dialogue_update", _on("dialogues:dialogue_update", "dialogue"),
          get=DLG_CHANGE, scoped=True, out=DLG_CHANGE_OUT,
          write=Write(statuses(DLG_CHANGE, 302), data=_update, out=WRITE_OUT,
                      record=_dlg("dialogue"), audited=_dlg("dialogue"))),
    Route("dialogues:dialogue_issue_add", _on("dialogues:dialogue_issue_add", "dialogue"),
          get=DLG_CHANGE, scoped=True, out=DLG_CHANGE_OUT,
          write=Write(statuses(DLG_CHANGE, 302), data=_issue, out=WRITE_OUT,
                      model="dialogues.DialogueIssue",
                      audited=lambda b, s: "dialogues.DialogueIssue")),
    Route("dialogues:commitment_list", lambda b, s: _r("dialogues:commitment_list"), get=DLG_VIEW,
          listing=True),
    Route("dialogues:commitment_report", _on("dialogues:commitment_report", "commitment"),
          get=DLG_CHANGE, scoped=True, out=DLG_CHANGE_OUT,
          write=Write(statuses(DLG_CHANGE, 302), data=_report, out=WRITE_OUT,
                      record=_dlg("commitment"), audited=_dlg("commitment"))),
]  # fmt: skip
