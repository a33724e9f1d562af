"""The large registers the load test reads (``bench/locustfile.py``) and warms up
(``bench/load.py``): one list for both, importable without locust (whose gevent patching
breaks the standard library's HTTP client in the bench process)."""

# (register, page URL, API URL, search, filter)
REGISTERS = (
    ("evaluations", "/can-bo-danh-gia/", "/api/v1/cadres/evaluations/", "q=nguyen", "status=approved"),
    ("people", "/to-chuc/can-bo/", "/api/v1/org/people/", "q=nguyen van", "is_active=true"),
    ("tasks", "/nghi-quyet/nhiem-vu/", "/api/v1/resolutions/tasks/", "q=trien khai", "status=in_progress"),
    ("opinion cases", "/dan-van/vu-viec/", "/api/v1/dialogues/cases/", "q=duong", "status=received"),
    ("inspections", "/kiem-tra/cuoc/", "/api/v1/inspections/records/", "q=kiem tra", "status=concluded"),
)  # fmt: skip
UNITS_PAGE = "/to-chuc/don-vi/"
