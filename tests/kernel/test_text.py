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


def test_sort_keys_of_several_words_are_the_keys_stored_so_far():
    """Worked out word by word (each word once), a key is the one the character-by-character
    rule gave: keys stored in the registers' sort columns stay in order with new ones."""
    assert sort_key("Lê Văn  An") == "251800381127001027 000000000 100100010"
    assert sort_key("ĐẶNG thị Ánh 2") == (
        "1611272000352122001027210002 05000005040000 11110000010000"
    )
    # A tone mark typed after a space is the space's tone, as before.
    assert sort_key("a \u0301b") == "100013 040 000"
    assert sort_key("a \u0323\u0302o") == "100028 050 000"  # a letter mark alone: no error
