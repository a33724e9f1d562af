"""The Long Biên demo organisation, and a city-sized tree for benchmarks.

Everything is keyed by codes, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from longbien.service import batch

from .choices import ManagementLevel, Role, Sex, UnitKind
from .models import OrgUnit, Person, Position, PositionHistory, RoleAssignment, Term, User

CITY_LOGIN = "thanhuy"  # an administrator of the whole city tree (seed_demo --scale city)
DEMO_PASSWORD = "LongBien@2025"  # noqa: S105  (printed by make run; demo data only)

WARDS = [
    ("BODE", "Bồ Đề"), ("CUKHOI", "Cự Khối"), ("DUCGIANG", "Đức Giang"), ("GIATHUY", "Gia Thụy"),
    ("GIANGBIEN", "Giang Biên"), ("LONGBIEN", "Long Biên"), ("NGOCLAM", "Ngọc Lâm"),
    ("NGOCTHUY", "Ngọc Thụy"), ("PHUCDONG", "Phúc Đồng"), ("PHUCLOI", "Phúc Lợi"),
    ("SAIDONG", "Sài Đồng"), ("THACHBAN", "Thạch Bàn"), ("THUONGTHANH", "Thượng Thanh"),
    ("VIETHUNG", "Việt Hưng"),
]  # fmt: skip

AGENCIES = [
    ("VP-QU", "Văn phòng Quận ủy"), ("BTC-QU", "Ban Tổ chức Quận ủy"),
    ("BTG-QU", "Ban Tuyên giáo Quận ủy"), ("UBKT-QU", "Ủy ban Kiểm tra Quận ủy"),
    ("BDV-QU", "Ban Dân vận Quận ủy"),
]  # fmt: skip

OTHER_BODIES = [
    ("HDND-LB", "Hội đồng nhân dân quận Long Biên", UnitKind.PEOPLES_COUNCIL),
    ("UBND-LB", "Ủy ban nhân dân quận Long Biên", UnitKind.PEOPLES_COMMITTEE),
    ("MTTQ-LB", "Ủy ban Mặt trận Tổ quốc Việt Nam quận Long Biên", UnitKind.FATHERLAND_FRONT),
    ("DTN-LB", "Quận đoàn Long Biên", UnitKind.MASS_ORGANISATION),
    ("HPN-LB", "Hội Liên hiệp Phụ nữ quận Long Biên", UnitKind.MASS_ORGANISATION),
    ("DUKDN-LB", "Đảng ủy Khối doanh nghiệp quận", UnitKind.ENTERPRISE_BLOC),
]

POSITIONS = [
    ("Bí thư Quận ủy", True, 1), ("Phó Bí thư Quận ủy", True, 2), ("Ủy viên Ban Thường vụ", False, 3),
    ("Trưởng ban", True, 5), ("Phó trưởng ban", False, 6), ("Chuyên viên", False, 20),
    ("Bí thư Đảng ủy phường", True, 10), ("Phó Bí thư Đảng ủy phường", True, 11),
    ("Chủ tịch UBND phường", True, 12), ("Chủ tịch Ủy ban MTTQ phường", True, 13),
    ("Bí thư chi bộ", True, 15), ("Phó Bí thư chi bộ", False, 16), ("Đảng viên", False, 30),
]  # fmt: skip

TERMS = [
    ("2015-2020", "Nhiệm kỳ 2015–2020 (Đại hội III)", dt.date(2015, 8, 1), dt.date(2020, 7, 31)),
    ("2020-2025", "Nhiệm kỳ 2020–2025 (Đại hội IV)", dt.date(2020, 8, 1), dt.date(2025, 7, 31)),
    ("2025-2030", "Nhiệm kỳ 2025–2030 (Đại hội V)", dt.date(2025, 8, 1), dt.date(2030, 7, 31)),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đinh", "Trịnh", "Phan", "Tạ", "Lương", "Âu"]  # fmt: skip
MIDDLE_MALE = ["Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân", "Thế", "Công", "Đình", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thu", "Thanh", "Ngọc", "Minh", "Phương", "Hồng", "Kim", "Thúy", "Diệu"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Giang", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Ánh", "Ẩn", "Ước"]  # fmt: skip
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Vân", "Yến", "Ánh", "Ưng"]  # fmt: skip

DEMO_USERS = [
    ("admin", "Quản trị", "Hệ thống", Role.ADMIN, "QU-LB"),
    ("vanphong", "Nguyễn Thị", "Hạnh", Role.STAFF, "QU-LB"),
    ("thuongvu", "Trần Văn", "Thắng", Role.LEADERSHIP, "QU-LB"),
    ("kiemtra", "Lê Đức", "Minh", Role.INSPECTION, "QU-LB"),
    ("danvan", "Phạm Thu", "Trang", Role.MASS_MOBILISATION, "QU-LB"),
    ("bithu.bode", "Hoàng Văn", "Dũng", Role.WARD_SECRETARY, "P-BODE"),
    ("canbo.bode", "Vũ Thị", "Lan", Role.WARD_STAFF, "P-BODE"),
]


@dataclass
class Built:
    units: dict[str, OrgUnit] = field(default_factory=dict)
    people_created: int = 0


def _name(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.55:
        return (
            f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}",
            Sex.MALE,
        )
    return (
        f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}",
        Sex.FEMALE,
    )


def _unit(code: str, name: str, kind: str, parent: OrgUnit | None, valid_from: dt.date) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, valid_from=valid_from)
        unit.save()
    return unit


@batch()
def load_long_bien(*, people_per_cell: int = 10, seed: int = 2015) -> Built:
    """Create the Long Biên tree, positions, terms, about 1,000 people and one user per role."""
    rng = random.Random(seed)
    built = Built()
    start = dt.date(2015, 8, 1)
    for code, name, first, last in TERMS:
        Term.objects.get_or_create(
            code=code, defaults={"name": name, "start_date": first, "end_date": last}
        )
    positions = {}
    for name, is_head, rank in POSITIONS:
        positions[name], _ = Position.objects.get_or_create(
            name=name, defaults={"is_head": is_head, "rank": rank}
        )

    root = _unit(
        "QU-LB", "Quận ủy Long Biên", UnitKind.DISTRICT_COMMITTEE, None, dt.date(2004, 1, 1)
    )
    built.units[root.code] = root
    for code, name in AGENCIES:
        built.units[code] = _unit(code, name, UnitKind.COMMITTEE_AGENCY, root, start)
    for code, name, kind in OTHER_BODIES:
        built.units[code] = _unit(code, name, kind, root, start)
    for slug, name in WARDS:
        ward = _unit(f"P-{slug}", f"Đảng ủy phường {name}", UnitKind.WARD_COMMITTEE, root, start)
        built.units[ward.code] = ward
        _unit(
            f"UBND-{slug}",
            f"Ủy ban nhân dân phường {name}",
            UnitKind.PEOPLES_COMMITTEE,
            ward,
            start,
        )
        _unit(f"MTTQ-{slug}", f"Ủy ban MTTQ phường {name}", UnitKind.FATHERLAND_FRONT, ward, start)
        cells = 5 + (sum(map(ord, slug)) % 3)
        for number in range(1, cells + 1):
            code = f"CB-{slug}-{number:02d}"
            built.units[code] = _unit(
                code,
                f"Chi bộ Tổ dân phố số {number} phường {name}",
                UnitKind.PARTY_CELL,
                ward,
                start,
            )

    if Person.objects.filter(code__startswith="LB").exists():
        _users(built, positions)
        return built
    people: list[Person] = []
    history: list[tuple[int, str, str]] = []

    def add(unit: OrgUnit, position: str | None, level: str, member_rate: float = 0.9) -> None:
        full_name, sex = _name(rng)
        birth = dt.date(rng.randint(1955, 1998), rng.randint(1, 12), rng.randint(1, 28))
        joined = None
        if rng.random() < member_rate:
            joined = birth.replace(year=birth.year + rng.randint(20, 35))
            joined = min(joined, dt.date(2019, 12, 31))
        person = Person(
            code=f"LB{len(people) + 1:05d}", full_name=full_name, birth_date=birth, sex=sex,
            party_member_since=joined, unit=unit, position=positions.get(position) if position else None,
            management_level=level,
        )  # fmt: skip
        person.refresh_derived()
        people.append(person)
        if position:
            history.append((len(people) - 1, unit.code, position))

    add(root, "Bí thư Quận ủy", ManagementLevel.STANDING_COMMITTEE, 1)
    add(root, "Phó Bí thư Quận ủy", ManagementLevel.STANDING_COMMITTEE, 1)
    for _ in range(9):
        add(root, "Ủy viên Ban Thường vụ", ManagementLevel.STANDING_COMMITTEE, 1)
    for code, _agency in AGENCIES:
        add(built.units[code], "Trưởng ban", ManagementLevel.STANDING_COMMITTEE, 1)
        add(built.units[code], "Phó trưởng ban", ManagementLevel.STANDING_COMMITTEE, 1)
        for _ in range(6):
            add(built.units[code], "Chuyên viên", ManagementLevel.GRASSROOTS_COMMITTEE, 0.95)
    for slug, _ward_name in WARDS:
        ward = built.units[f"P-{slug}"]
        for position in (
            "Bí thư Đảng ủy phường",
            "Phó Bí thư Đảng ủy phường",
            "Chủ tịch UBND phường",
            "Chủ tịch Ủy ban MTTQ phường",
        ):
            add(ward, position, ManagementLevel.STANDING_COMMITTEE, 1)
        for _ in range(3):
            add(ward, "Chuyên viên", ManagementLevel.GRASSROOTS_COMMITTEE, 0.9)
        for code, unit in built.units.items():
            if code.startswith(f"CB-{slug}-"):
                add(unit, "Bí thư chi bộ", ManagementLevel.GRASSROOTS_COMMITTEE, 1)
                for _ in range(people_per_cell - 1):
                    add(unit, None, ManagementLevel.NONE, 0.97)
    Person.objects.bulk_create(people, batch_size=1000)
    saved = {p.code: p for p in Person.objects.filter(code__startswith="LB")}
    PositionHistory.objects.bulk_create(
        PositionHistory(
            person=saved[people[index].code],
            unit=built.units[unit_code],
            position=positions[position],
            start_date=dt.date(2015, 8, 1) + dt.timedelta(days=rng.randint(0, 400)),
        )  # fmt: skip
        for index, unit_code, position in history
    )
    built.people_created = len(people)
    _users(built, positions)
    return built


def _users(built: Built, positions: dict[str, Position]) -> None:
    for username, first, last, role, unit_code in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@longbien.local",
            )
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role == Role.ADMIN
            if role == Role.WARD_SECRETARY:
                user.person = Person.objects.filter(
                    unit__code=unit_code, position__name="Bí thư Đảng ủy phường"
                ).first()
                if user.person is not None:  # the account is that person: one name everywhere
                    user.person.full_name = f"{first} {last}"
                    user.person.save()
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role, unit=built.units[unit_code])


@batch()
def load_city(*, districts: int = 30, people_per_district: int = 3300, seed: int = 7) -> int:
    """Create a city-sized tree (TU-HN) with bulk inserts; return the number of people added."""
    rng = random.Random(seed)
    if OrgUnit.objects.filter(code="TU-HN").exists():
        return 0
    root = OrgUnit(
        code="TU-HN", name="Thành ủy Hà Nội (dữ liệu thử tải)", kind=UnitKind.DISTRICT_COMMITTEE
    )
    root.save()
    # The district sits under the city, so that one login (thanhuy) sees the whole city.
    district = OrgUnit.objects.filter(code="QU-LB", parent__isnull=True).first()
    if district is not None:
        from .services import _repath_subtree

        old_path = district.path
        district.parent = root
        district.save()
        _repath_subtree(old_path, district.path)
    city_admin = User.objects.filter(username=CITY_LOGIN).first()
    if city_admin is None:
        city_admin = User(
            username=CITY_LOGIN, first_name="Quản trị", last_name="Thành phố",
            email=f"{CITY_LOGIN}@longbien.local", is_staff=True,
        )  # fmt: skip
        city_admin.set_password(DEMO_PASSWORD)
        city_admin.save()
    RoleAssignment.objects.get_or_create(user=city_admin, role=Role.ADMIN, unit=root)
    # One list per level: a unit's parent must be saved (and its path known) before the unit.
    levels: list[list[OrgUnit]] = [[], [], []]
    cells_by_district: dict[str, list[OrgUnit]] = {}
    for d in range(1, districts + 1):
        district = OrgUnit(
            code=f"Q{d:02d}",
            name=f"Quận ủy số {d:02d}",
            kind=UnitKind.DISTRICT_COMMITTEE,
            parent=root,
        )
        levels[0].append(district)
        cells_by_district[district.code] = []
        for w in range(1, 15):
            ward = OrgUnit(
                code=f"Q{d:02d}-P{w:02d}",
                name=f"Đảng ủy phường {w:02d} quận {d:02d}",
                kind=UnitKind.WARD_COMMITTEE,
                parent=district,
            )
            levels[1].append(ward)
            for c in range(1, 9):
                cell = OrgUnit(
                    code=f"Q{d:02d}-P{w:02d}-C{c}",
                    name=f"Chi bộ {c} phường {w:02d} quận {d:02d}",
                    kind=UnitKind.PARTY_CELL,
                    parent=ward,
                )
                levels[2].append(cell)
                cells_by_district[district.code].append(cell)
    for level in levels:
        for unit in level:
            unit.parent = unit.parent  # saved by the previous level: now it has an id
            unit.refresh_derived()  # the path is built from the parent's
        OrgUnit.objects.bulk_create(level, batch_size=2000)
    by_code = {u.code: u for u in OrgUnit.objects.filter(path__startswith=root.path)}
    total = 0
    batch: list[Person] = []
    for district_code, cells in cells_by_district.items():
        for index in range(people_per_district):
            full_name, sex = _name(rng)
            birth = dt.date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
            # One in five is a cadre whose work is evaluated monthly (cadres' city demo).
            level = ManagementLevel.GRASSROOTS_COMMITTEE if index % 5 == 0 else ManagementLevel.NONE
            person = Person(
                code=f"HN{total + 1:07d}", full_name=full_name, birth_date=birth, sex=sex,
                party_member_since=birth.replace(year=birth.year + 22), unit=by_code[cells[index % len(cells)].code],
                management_level=level,
            )  # fmt: skip
            person.refresh_derived()
            batch.append(person)
            total += 1
            if len(batch) >= 5000:
                Person.objects.bulk_create(batch)
                batch = []
        del district_code
    if batch:
        Person.objects.bulk_create(batch)
    return total
