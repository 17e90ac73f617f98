"""How `make load` divides its crowd and judges each request class against one user."""

from bench.load import P95_LIMIT, crowd, table


def _row(count: int, median: float, p95: float, failures: int = 0) -> dict:
    return {
        "Request Count": str(count),
        "Failure Count": str(failures),
        "50%": str(median),
        "95%": str(p95),
        "99%": str(p95 * 1.2),
    }


def test_the_crowd_has_every_kind_of_user_and_exactly_as_many_as_asked():
    for users in (4, 10, 50, 200):
        counts = crowd(users)
        assert set(counts) == {"issuer", "reviewer", "approver", "public"}
        assert all(n >= 1 for n in counts.values())
        assert sum(counts.values()) == users
    assert crowd(50) == {"issuer": 15, "reviewer": 10, "approver": 2, "public": 23}


def test_a_class_slower_than_five_times_its_single_user_median_is_a_miss():
    single = {
        "rows": {"public: register": _row(20, 40, 60), "reviewer: case page": _row(9, 100, 150)}
    }
    loaded = {
        "rows": {
            "public: register": _row(500, 90, 40 * P95_LIMIT + 1),
            "reviewer: case page": _row(300, 180, 100 * P95_LIMIT),
            "sign in (form)": _row(10, 300, 900),
        }
    }
    lines, missed = table(single, loaded)
    assert missed == ["public: register"]
    by_name = {line.split("  ")[0].strip(): line for line in lines[1:]}
    assert by_name["public: register"].endswith("MISS")
    assert by_name["reviewer: case page"].endswith("PASS")
    # A class the single user never made has nothing to be held against.
    assert not by_name["sign in (form)"].rstrip().endswith(("PASS", "MISS"))
