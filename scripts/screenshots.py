"""Take the README's UI screenshots (1280x800 PNG) from a server over a little synthetic data.

    python scripts/screenshots.py [--out docs/screenshots]

Needs Debian's chromium (``apt-get install chromium``) and Playwright's Python package. All
people and places in the data are synthetic; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import update

from plataforma.context import Platform
from plataforma.model.codes import all_crime_types, all_municipalities
from plataforma.model.envelope import Marking
from plataforma.model.values import make_vin
from plataforma.records.service import RecordService
from plataforma.security.identity import create_user
from plataforma.security.passwords import current_totp
from plataforma.security.principal import LOCAL_ADMIN, Role
from plataforma.settings import Settings
from plataforma.store.tables import users
from plataforma.web.app import create_app

PASSWORD = "demo password 1"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # synthetic; pyotp wants >= 112 bits
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
GIVEN = ["Ana", "Luis", "María", "José", "Rosa", "Jorge", "Elena", "Pedro"]
SURNAMES = ["García", "Hernández", "López", "Martínez", "Pérez", "Ramírez", "Soto", "Cruz"]


def seed(platform: Platform, incidents: int = 120) -> str:
    """Agencies, users and synthetic incidents; returns the id of one incident to show."""
    service = RecordService(platform)
    for code, level, state in (("SSPC", "federal", None), ("POL-GDL", "municipal", "14")):
        agency = {"source_ref": code, "agency": code, "name": f"Agencia {code}", "level": level,
                  "kind": "police"}  # fmt: skip
        service.submit(LOCAL_ADMIN, "agency", agency | ({"state": state} if state else {}))
    users = (("capturista", "POL-GDL", Role.RECORDS_CLERK), ("analista", "SSPC", Role.ANALYST),
             ("auditora", "SSPC", Role.AUDITOR), ("oficial", "SSPC", Role.OFFICER))  # fmt: skip
    with platform.engine.begin() as conn:
        for name, agency, role in users:
            create_user(conn, name, name.title(), agency, [role], PASSWORD, Marking.SECRET, [],
                        totp_secret=TOTP_SECRET)  # fmt: skip
    seed_persons(platform)  # first, so its pair heads the review queue
    rng = random.Random(7)
    places = [m for m in all_municipalities() if m.lat is not None and m.lon is not None]
    crimes = [c.code for c in all_crime_types()]
    shown = ""
    for i in range(incidents):
        place = rng.choice(places)
        victim = {
            "role": "victim",
            "given_names": rng.choice(GIVEN),
            "first_surname": rng.choice(SURNAMES),
            "second_surname": rng.choice(SURNAMES),
            "curp": "GAHA900213MJCRRN0" if i == 0 else None,  # kept as written, flagged
        }
        payload = {
            "source_ref": f"IPH-{place.state}-{i:05d}",
            "agency": "POL-GDL",
            "folio": f"IPH-{place.state}-{i:05d}",
            "occurred_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T21:15",
            "place": {
                "state": place.state,
                "municipality": place.code,
                "latitude": round((place.lat or 0) + rng.uniform(-0.05, 0.05), 5),
                "longitude": round((place.lon or 0) + rng.uniform(-0.05, 0.05), 5),
            },
            "crime_types": [rng.choice(crimes[:20])],
            "narrative": "Reporte sintético para la demostración.",
            "persons": [victim],
        }
        result = service.submit(LOCAL_ADMIN, "incident", payload)
        shown = shown or result.id
    return shown


def seed_stolen_vehicle(platform: Platform) -> str:
    """A vehicle reported stolen, to show the highlighted theft status and local times."""
    vehicle = {
        "source_ref": "REPUVE-0001",
        "agency": "POL-GDL",
        "plate": "JKL-123-A",
        "plate_state": "14",
        "vin": make_vin(2019),
        "make": "Nissan",
        "model": "Versa",
        "year": 2019,
        "colour": "Gris",
        "theft_status": "robado",
        "reported_stolen_at": "2026-12-01T20:52:00+00:00",
        "theft_incident_folio": "IPH-14-00042",
        "owner_name": "Rosa Pérez Soto",
    }
    return RecordService(platform).submit(LOCAL_ADMIN, "vehicle", vehicle).id


def seed_persons(platform: Platform) -> None:
    """One man in two agencies' files: a person record and a warrant whose clerk typed his
    sex wrong, which forbids a link on arrival and puts the pair in the review queue."""
    service = RecordService(platform)
    man = {"given_names": "Jorge", "first_surname": "Zarza", "second_surname": "Olvera",
           "date_of_birth": "1979-03-14", "sex": "H", "birth_state": "14"}  # fmt: skip
    service.submit(LOCAL_ADMIN, "person", {"source_ref": "P-0001", "agency": "SSPC", **man})
    warrant = {"source_ref": "OA-0001", "agency": "POL-GDL", **man, "sex": "M",
               "warrant_type": "aprehension", "case_number": "CP-14/2026", "issued_by":
               "Juzgado Penal 3", "issued_at": "2026-03-01", "issuing_state": "14",
               "crime_types": ["homicidio_doloso"]}  # fmt: skip
    service.submit(LOCAL_ADMIN, "warrant", warrant)


def capture_persons(base: str, out: Path) -> None:
    """The identity review queue, then the person's page once the analyst accepts the pair."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="es-MX")
        login(page, base, "analista")
        for _ in range(100):  # the consumer links the seeded records once the server runs
            page.goto(f"{base}/ui/review?purpose=intelligence")
            if page.locator("section.pair").count():
                break
            time.sleep(0.2)
        page.screenshot(path=out / "review.png")
        page.locator("section.pair textarea").first.fill("Mismo CURP en el expediente físico")
        page.locator("section.pair button.accept").first.click()
        page.wait_for_selector("#decided")
        page.screenshot(path=out / "person.png", full_page=True)
        browser.close()


def login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/ui/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#totp", current_totp(TOTP_SECRET))
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/ui/")


def capture_realtime(base: str, out: Path, platform: Platform) -> None:
    """The officer's inquiry on a phone, a delayed hit in the inbox, a confirmation request."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
        phone = context.new_page()
        login(phone, base, "oficial")
        phone.goto(f"{base}/ui/inquiry?kind=vehicle&plate=MNO-456-B&purpose=patrol")
        stolen = {
            "source_ref": "REPUVE-0002", "agency": "POL-GDL", "plate": "MNO-456-B",
            "plate_state": "14", "make": "Chevrolet", "model": "Aveo", "year": 2021,
            "theft_status": "robado", "reported_stolen_at": "2026-12-07T09:10:00-06:00",
        }  # fmt: skip
        RecordService(platform).submit(LOCAL_ADMIN, "vehicle", stolen)
        phone.goto(f"{base}/ui/inquiry?kind=vehicle&plate=JKL-123-A&purpose=patrol")
        phone.wait_for_selector(".hit-title")
        phone.screenshot(path=out / "inquiry-hit.png", full_page=True)
        phone.click(".confirm-form button[type=submit]")
        phone.wait_for_selector(".confirm-status:not(:empty)")
        page = phone.context.new_page()  # same session: a TOTP code logs a user in once
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{base}/ui/inbox")
        time.sleep(2)  # the delayed hit travels relay → bus → consumer → inbox
        page.reload()
        page.screenshot(path=out / "inbox.png")
        page.goto(f"{base}/ui/subscriptions")
        page.screenshot(path=out / "subscriptions.png")
        with platform.engine.begin() as conn:  # capturista logged in moments ago, same code
            conn.execute(update(users).values(totp_last_step=None))
        login(page, base, "capturista")
        page.goto(f"{base}/ui/confirmations")
        page.screenshot(path=out / "confirmations.png")
        page.goto(f"{base}/ui/messages")
        page.screenshot(path=out / "messages.png")
        browser.close()


def seed_trends(platform: Platform, incidents: int = 900) -> None:
    """Two years of synthetic incidents in a few states, and a surge of extortion in Jalisco
    this month, so the dashboard has a map, a series and alarms to show."""
    service = RecordService(platform)
    rng = random.Random(11)
    places = [m for m in all_municipalities() if m.lat is not None and m.state in
              ("09", "14", "15", "19", "11", "21", "30", "08", "02", "25")]  # fmt: skip
    crimes = ["extorsion", "robo_a_negocio", "robo_de_vehiculo_automotor", "homicidio_doloso",
              "lesiones_dolosas", "robo_a_transeunte_en_via_publica"]  # fmt: skip
    today = dt.date.today()
    jalisco = [p for p in places if p.state == "14"]
    plan = [(rng.choice(places), rng.choice(crimes), rng.randint(1, 730)) for _ in range(incidents)]
    plan += [(rng.choice(jalisco), "extorsion", rng.randint(1, today.day)) for _ in range(40)]
    for i, (place, crime, days_back) in enumerate(plan):
        day = today - dt.timedelta(days=days_back)
        payload = {
            "source_ref": f"TR-{i:05d}", "agency": "POL-GDL", "folio": f"IPH-T-{i:05d}",
            "occurred_at": f"{day.isoformat()}T{rng.randint(0, 23):02d}:30",
            "place": {"state": place.state, "municipality": place.code,
                      "latitude": round((place.lat or 0) + rng.gauss(0, 0.03), 5),
                      "longitude": round((place.lon or 0) + rng.gauss(0, 0.03), 5)},
            "crime_types": [crime],
        }  # fmt: skip
        service.submit(LOCAL_ADMIN, "incident", payload)


def wait_for_counts(platform: Platform, seconds: float = 120) -> None:
    """Until the trends consumer has counted every incident event (relay → bus → consumer)."""
    from sqlalchemy import func, select

    from plataforma.store.tables import outbox

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with platform.engine.connect() as conn:
            waiting = conn.execute(
                select(func.count()).where(outbox.c.published_at.is_(None))
            ).scalar_one()
        if not waiting:
            time.sleep(2)
            return
        time.sleep(0.5)


def capture_trends(base: str, out: Path, platform: Platform) -> None:
    """The dashboard with a surge and its alarm, and the printable CompStat."""
    from plataforma.trends.alarm_job import run_alarm_job

    wait_for_counts(platform)
    run_alarm_job(platform)
    with platform.engine.begin() as conn:
        conn.execute(update(users).values(totp_last_step=None))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="es-MX")
        login(page, base, "analista")
        page.goto(f"{base}/ui/trends?crime=subtipo:extorsion&area_level=state&area=14")
        page.wait_for_selector("body[data-trends-ready='1']")
        page.wait_for_selector(".muni-point")
        page.wait_for_timeout(800)
        page.screenshot(path=out / "trends.png")
        page.goto(f"{base}/ui/trends/compstat?area_level=state&area=14")
        page.emulate_media(media="print")
        page.screenshot(path=out / "trends-compstat.png")
        browser.close()


def capture(base: str, out: Path, record_id: str, vehicle_id: str | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="es-MX")
        page.goto(f"{base}/ui/login")
        page.screenshot(path=out / "login.png")
        login(page, base, "analista")
        page.wait_for_selector(".leaflet-interactive")
        page.screenshot(path=out / "home-analyst.png")
        page.goto(f"{base}/ui/records/{record_id}?purpose=investigation")
        page.screenshot(path=out / "record.png")
        if vehicle_id:
            page.goto(f"{base}/ui/records/{vehicle_id}?purpose=investigation")
            page.screenshot(path=out / "record-vehicle.png")
        login(page, base, "capturista")
        page.goto(f"{base}/ui/incidents/new")
        page.fill("#f-folio", "IPH-14-99999")
        page.select_option("#f-place-state", "14")
        page.click("[data-add-row=persons]")
        page.fill("#f-persons-0-given_names", "Rosa")
        page.fill("#f-persons-0-date_of_birth", "31/02/1980")
        page.wait_for_selector("#err-persons-0-date_of_birth:not(:empty)")
        page.locator("#f-persons-0-date_of_birth").scroll_into_view_if_needed()
        page.screenshot(path=out / "iph-form.png")
        login(page, base, "auditora")
        page.goto(f"{base}/ui/audit")
        page.click("text=Verificar la cadena")
        page.wait_for_selector("#verify-result p")
        page.screenshot(path=out / "audit.png")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", choices=["trends"], help="take only these screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        # Widened review band: the seeded pair agrees on all but sex, so it scores near 1.
        platform = Platform.open(Settings(data_dir=Path(data_dir), resolve_review_high=1.0))
        record_id = seed(platform)
        vehicle_id = seed_stolen_vehicle(platform)
        seed_trends(platform)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            if args.only != "trends":
                capture(f"http://127.0.0.1:{port}", args.out, record_id, vehicle_id)
                capture_realtime(f"http://127.0.0.1:{port}", args.out, platform)
                with platform.engine.begin() as conn:  # analista logged in moments ago
                    conn.execute(update(users).values(totp_last_step=None))
                capture_persons(f"http://127.0.0.1:{port}", args.out)
                with platform.engine.begin() as conn:
                    conn.execute(update(users).values(totp_last_step=None))
            capture_trends(f"http://127.0.0.1:{port}", args.out, platform)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            platform.close()
    print(f"screenshots written to {args.out}")


if __name__ == "__main__":
    main()
