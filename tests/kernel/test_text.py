from longbien.text import fold, person_sort_key, sort_key


def test_fold_removes_diacritics_and_case():
    assert fold("Nghị quyết") == "nghi quyet"
    assert fold("ĐẢNG  bộ") == "dang bo"
    assert fold("Thượng Thanh") == "thuong thanh"
    assert fold(None) == ""


def test_sort_key_orders_vietnamese_letters():
    words = ["Đức", "Dung", "Ái", "An", "Ân", "Ăn", "Bình", "Cự", "Ơn", "Ôn", "On", "Ư", "U"]
    ordered = sorted(words, key=sort_key)
    assert ordered == [
        "Ái",
        "An",
        "Ăn",
        "Ân",
        "Bình",
        "Cự",
        "Dung",
        "Đức",
        "On",
        "Ôn",
        "Ơn",
        "U",
        "Ư",
    ]


def test_sort_key_orders_tones_after_letters():
    # level, grave, hook, tilde, acute, dot below
    words = ["má", "ma", "mạ", "mà", "mã", "mả"]
    assert sorted(words, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_people_sort_by_given_name_first():
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Đức Anh"]
    assert sorted(names, key=person_sort_key) == ["Nguyễn Thị An", "Lê Đức Anh", "Trần Văn Bình"]
