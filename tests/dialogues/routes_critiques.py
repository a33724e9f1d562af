"""Route table entries of the critiques and supervisions (Decision 217) with their
recommendations, and of the feedback on building the Party and the government (Decision 218).

The dialogues area, as for the dialogues pages: the admin, district staff and the
mass-mobilisation role read and write everywhere; the ward's secretary and staff on their
ward; leadership reads; the inspection role and the account without a role get 403. A record
of ward B is a 404 for the ward roles.
"""

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

WRITE = statuses(DLG_CHANGE, 302)


def _on(url_name: str, attr: str) -> Any:
    return lambda b, s: _r(url_name, pk=getattr(s.dlg, attr).pk)


def _dlg(attr: str) -> Any:
    return lambda b, s: getattr(s.dlg, attr)


def _critique(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "kind": "critique", "unit": s.ward.pk, "organiser": "front", "held_on": "08/04/2026",
        "subject": f"Dự thảo đề án chỉnh trang đô thị ({role})", "findings": "Cần lấy thêm ý kiến",
        "rec1_content": "Bổ sung cây xanh", "rec1_addressee": "UBND phường",
        "rec2_content": "Công khai kinh phí", "rec2_addressee": "UBND phường",
    }  # fmt: skip


def _critique_update(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"kind": "critique", "organiser": "youth", "held_on": "08/04/2026",
            "subject": f"Chủ đề sửa ({role})", "findings": "Đính chính",
            "reason": "Sửa tổ chức chủ trì"}  # fmt: skip


def _recommendation(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"content": f"Kiến nghị của {role}", "addressee": "Đảng ủy phường"}


def _respond(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"response": f"Đã tiếp thu ({role})", "responded_on": "20/04/2026"}


def _feedback(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "unit": s.ward.pk, "sender": "women", "received_on": "02/04/2026",
        "content": f"Góp ý cải cách hành chính ({role})", "addressee": "UBND phường",
    }  # fmt: skip


def _feedback_update(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"sender": "youth", "received_on": "02/04/2026", "content": f"Góp ý sửa ({role})",
            "addressee": "Đảng ủy phường", "reason": "Đính chính"}  # fmt: skip


def _feedback_respond(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"response": f"Đã tiếp thu, chấn chỉnh ({role})", "responded_on": "10/04/2026"}


ROUTES: list[Any] = [
    Route("dialogues:critique_list", lambda b, s: _r("dialogues:critique_list"), get=DLG_VIEW,
          listing=True),
    Route("dialogues:critique_create", lambda b, s: _r("dialogues:critique_create"),
          get=DLG_CHANGE,
          write=Write(WRITE, data=_critique, model="dialogues.Critique",
                      audited=lambda b, s: "dialogues.Critique")),
    Route("dialogues:critique_detail", _on("dialogues:critique_detail", "critique"),
          get=DLG_VIEW, scoped=True, out=DLG_VIEW_OUT),
    Route("dialogues:critique_update", _on("dialogues:critique_update", "critique"),
          get=DLG_CHANGE, scoped=True, out=DLG_CHANGE_OUT,
          write=Write(WRITE, data=_critique_update, out=WRITE_OUT, record=_dlg("critique"),
                      audited=_dlg("critique"))),
    Route("dialogues:recommendation_add", _on("dialogues:recommendation_add", "critique"),
          get=DLG_CHANGE, scoped=True, out=DLG_CHANGE_OUT,
          write=Write(WRITE, data=_recommendation, out=WRITE_OUT,
                      model="dialogues.Recommendation",
                      audited=lambda b, s: "dialogues.Recommendation")),
    Route("dialogues:recommendation_respond",
          _on("dialogues:recommendation_respond", "recommendation_open"),
          get=DLG_CHANGE, scoped=True, out=DLG_CHANGE_OUT,
          write=Write(WRITE, data=_respond, out=WRITE_OUT, record=_dlg("recommendation_open"),
                      audited=_dlg("recommendation_open"))),
    Route("dialogues:feedback_list", lambda b, s: _r("dialogues:feedback_list"), get=DLG_VIEW,
          listing=True),
    Route("dialogues:feedback_create", lambda b, s: _r("dialogues:feedback_create"),
          get=DLG_CHANGE,
          write=Write(WRITE, data=_feedback, model="dialogues.Feedback",
                      audited=lambda b, s: "dialogues.Feedback")),
    Route("dialogues:feedback_detail", _on("dialogues:feedback_detail", "feedback_open"),
          get=DLG_VIEW, scoped=True, out=DLG_VIEW_OUT),
    Route("dialogues:feedback_update", _on("dialogues:feedback_update", "feedback_open"),
          get=DLG_CHANGE, scoped=True, out=DLG_CHANGE_OUT,
          write=Write(WRITE, data=_feedback_update, out=WRITE_OUT,
                      record=_dlg("feedback_open"), audited=_dlg("feedback_open"))),
    Route("dialogues:feedback_respond", _on("dialogues:feedback_respond", "feedback_open"),
          get=DLG_CHANGE, scoped=True, out=DLG_CHANGE_OUT,
          write=Write(WRITE, data=_feedback_respond, out=WRITE_OUT,
                      record=_dlg("feedback_open"), audited=_dlg("feedback_open"))),
]  # fmt: skip
