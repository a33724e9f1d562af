"""Route table entries of the dialogues app (api): ``/api/v1/dialogues/``.

Everything is in ``Area.DIALOGUES``: read by administrator, staff, leadership, mass
mobilisation and the ward roles; changed by all of them but leadership; the inspection role
and the account without a role get a 403. Ward B's records are "not found" for the ward roles.
A GET on a POST-only action is a 405 for whoever passes the area check (the record is never
looked up).
"""

from __future__ import annotations

from typing import Any

from tests.routes import WARD, Route, Write, _r, everyone, only, statuses

VIEW = only(200, "admin", "staff", "leadership", "mass_mobilisation", *WARD)
CHANGE = only(200, "admin", "staff", "mass_mobilisation", *WARD)


def _on(name: str, attr: str):
    return lambda b, s: _r(f"api:dialogues-{name}", pk=getattr(s.dlg, attr).pk)


def _list(name: str):
    return lambda b, s: _r(f"api:dialogues-{name}")


def _rec(attr: str):
    return lambda b, s: getattr(s.dlg, attr)


def _empty(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {}


def _reason(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"reason": f"Lý do của {role}"}


def _chair(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"chair": f"Chủ trì sửa bởi {role}"}


def _content(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"content": f"Nội dung sửa bởi {role}"}


def _progress(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"progress": 40, "evidence": f"Đang thực hiện ({role})"}


def _assign(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"unit": s.cell.code, "due_on": "2026-04-30"}


def _reassign(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"unit": s.ward.code, "reason": f"Giao lại ({role})"}


def _answer(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"answer": f"Đã xử lý ({role})", "answered_on": "2026-03-20", "outcome": "resolved"}


def _transfer(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"transferred_to": "Sở Xây dựng Hà Nội"}


def _merge(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"into": s.dlg.case_in_progress.pk, "reason": f"Trùng nội dung ({role})"}


def _critique(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "kind": "critique", "unit": s.ward.code, "organiser": "front", "held_on": "2026-04-08",
        "subject": f"Dự thảo đề án ({role})",
        "recommendations": [{"content": f"Kiến nghị ({role})", "addressee": "UBND phường"}],
    }  # fmt: skip


def _subject(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"subject": f"Nội dung sửa bởi {role}"}


def _recommend(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"content": f"Kiến nghị thêm ({role})", "addressee": "UBND phường"}


def _respond(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"response": f"Đã tiếp thu ({role})", "responded_on": "2026-04-20"}


def _feedback(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "unit": s.ward.code, "sender": "veterans", "received_on": "2026-04-02",
        "content": f"Góp ý ({role})", "addressee": "UBND phường",
    }  # fmt: skip


def _addressee(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"addressee": f"Cơ quan sửa bởi {role}"}


def _reception(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "unit": s.ward.code, "held_on": "2026-03-15", "leader": f"Lãnh đạo ({role})",
        "place": "Trụ sở phường", "citizens": 4,
    }  # fmt: skip


def _citizens(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"citizens": 9, "notes": f"Sửa bởi {role}"}


def _model(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "unit": s.ward.code, "year": 2025, "name": f"Mô hình của {role}", "field": "culture",
        "recognition": "ward",
    }  # fmt: skip


def _description(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"description": f"Mô tả sửa bởi {role}"}


def _records(name: str, attr: str, model: str, create: Any, change: Any) -> list[Route]:
    """A resource's list (a real record created: 201) and its detail (corrected: 200)."""
    return [
        Route(f"api:dialogues-{name}-list", _list(f"{name}-list"), get=VIEW, anonymous=401,
              listing=True,
              write=Write(statuses(CHANGE, 201), data=create, anonymous=401, json=True,
                          model=model, audited=lambda b, s: model)),
        Route(f"api:dialogues-{name}-detail", _on(f"{name}-detail", attr), get=VIEW,
              anonymous=401, scoped=True,
              write=Write(CHANGE, method="patch", data=change, anonymous=401, json=True,
                          record=_rec(attr), audited=_rec(attr))),
    ]  # fmt: skip


def _action(name: str, attr: str, data: Any) -> Route:
    """A POST-only action on one record: GET is a 405 for whoever passes the area check."""
    record = _rec(attr)
    return Route(
        f"api:dialogues-{name}", _on(name, attr), get=statuses(VIEW, 405), anonymous=401,
        scoped=True, out=statuses(VIEW, 405),
        write=Write(CHANGE, data=data, anonymous=401, json=True, record=record, audited=record),
    )  # fmt: skip


ROUTES: list[Route] = [
    Route("api:api-root api/v1/dialogues/", lambda b, s: "/api/v1/dialogues/",
          get=everyone(200, no_role=200), anonymous=401),
    # Dialogues.
    Route("api:dialogues-dialogue-list", _list("dialogue-list"), get=VIEW, anonymous=401,
          listing=True,
          write=Write(statuses(CHANGE, 400), data=_empty, anonymous=401, json=True,
                      model="dialogues.Dialogue")),
    Route("api:dialogues-dialogue-detail", _on("dialogue-detail", "dialogue"), get=VIEW,
          anonymous=401, scoped=True,
          write=Write(CHANGE, method="patch", data=_chair, anonymous=401, json=True,
                      record=_rec("dialogue"), audited=_rec("dialogue"))),
    # Commitments.
    Route("api:dialogues-commitment-list", _list("commitment-list"), get=VIEW, anonymous=401,
          listing=True),
    Route("api:dialogues-commitment-detail", _on("commitment-detail", "commitment"), get=VIEW,
          anonymous=401, scoped=True),
    _action("commitment-report", "commitment", _progress),
    # Cases.
    Route("api:dialogues-case-list", _list("case-list"), get=VIEW, anonymous=401, listing=True,
          write=Write(statuses(CHANGE, 400), data=_empty, anonymous=401, json=True,
                      model="dialogues.OpinionCase")),
    Route("api:dialogues-case-similar",
          lambda b, s: _r("api:dialogues-case-similar") + "?content=den%20duong%20hong",
          # At most five suggestions, whatever the number of cases: not a growing list.
          get=VIEW, anonymous=401),
    Route("api:dialogues-case-detail", _on("case-detail", "case_received"), get=VIEW,
          anonymous=401, scoped=True,
          write=Write(CHANGE, method="patch", data=_content, anonymous=401, json=True,
                      record=_rec("case_received"), audited=_rec("case_received"))),
    _action("case-assign", "case_received", _assign),
    _action("case-reassign", "case_assigned", _reassign),
    _action("case-start", "case_assigned", _empty),
    _action("case-answer", "case_in_progress", _answer),
    _action("case-close", "case_answered", _empty),
    _action("case-reject", "case_received", _reason),
    _action("case-transfer", "case_received", _transfer),
    _action("case-reopen", "case_closed", _reason),
    _action("case-merge", "case_received", _merge),
    # Critiques and supervisions, their recommendations.
    *_records("critique", "critique", "dialogues.Critique", _critique, _subject),
    Route("api:dialogues-critique-recommend", _on("critique-recommend", "critique"),
          get=statuses(VIEW, 405), anonymous=401, scoped=True, out=statuses(VIEW, 405),
          write=Write(statuses(CHANGE, 201), data=_recommend, anonymous=401, json=True,
                      model="dialogues.Recommendation",
                      audited=lambda b, s: "dialogues.Recommendation")),
    Route("api:dialogues-recommendation-list", _list("recommendation-list"), get=VIEW,
          anonymous=401, listing=True),
    Route("api:dialogues-recommendation-detail",
          _on("recommendation-detail", "recommendation_open"), get=VIEW, anonymous=401,
          scoped=True),
    _action("recommendation-respond", "recommendation_open", _respond),
    # Feedback.
    *_records("feedback", "feedback_open", "dialogues.Feedback", _feedback, _addressee),
    _action("feedback-respond", "feedback_open", _respond),
    # Reception sessions and models.
    *_records("reception", "reception", "dialogues.Reception", _reception, _citizens),
    *_records("model", "model", "dialogues.MobilisationModel", _model, _description),
]  # fmt: skip
