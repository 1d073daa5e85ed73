"""The keys a vehicle, a firearm and the objects inside an incident are indexed under."""

from plataforma.model.records import Firearm, Incident, Vehicle


def test_a_vehicle_has_exact_and_confusion_tolerant_keys() -> None:
    car = Vehicle(source_ref="V1", plate="ABS-123-D", vin="3VWFE21C04M000001")
    assert car.match_keys() == [
        ("plate", "ABS123D"),
        ("plate_skeleton", "A851230"),
        ("vin", "3VWFE21C04M000001"),  # no confusable letter: its skeleton is itself
    ]


def test_a_skeleton_equal_to_the_exact_key_is_not_stored_twice() -> None:
    car = Vehicle(source_ref="V1", plate="JKM-123-A", vin="3VWFE21C04M000001")
    kinds = [kind for kind, _ in car.match_keys()]
    assert kinds == ["plate", "vin"]  # no B, D, G, I, L, O, Q, S, Z


def test_a_vin_failing_its_check_digit_has_only_a_skeleton_and_a_flag_naming_the_repair() -> None:
    car = Vehicle(source_ref="V2", vin="3VWFE2lC04MOOOOO1")
    assert car.match_keys() == [("vin_skeleton", "3VWFE21C04M000001")]
    (flag,) = car.flags()
    assert flag.field == "vin" and "possibly 3VWFE21C04M000001" in flag.problem


def test_firearms_and_the_objects_of_an_incident_carry_skeletons() -> None:
    gun = Firearm(source_ref="F1", serial="AB-801")
    assert dict(gun.match_keys()) == {"serial": "AB801", "serial_skeleton": "A8801"}
    report = Incident.model_validate(
        {
            "source_ref": "I1",
            "folio": "I1",
            "occurred_at": "2026-05-01T10:00:00-06:00",
            "place": {"state": "14"},
            "crime_types": ["robo_de_vehiculo_automotor"],
            "vehicles": [{"plate": "ABC-I23"}],
            "weapons": [{"serial": "GLOCK55"}],
        }
    )
    keys = set(report.match_keys())
    assert {("plate_skeleton", "A8C123"), ("serial_skeleton", "610CK55")} <= keys
