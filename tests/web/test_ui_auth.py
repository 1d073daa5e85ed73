"""UI login with TOTP, language choice, login-required pages and CSRF protection."""

from __future__ import annotations

from typing import Any

from ui_session import csrf, sign_in, signed_in

from conftest import PASSWORD, TOTP_SECRET, forget_totp_use
from plataforma.security.passwords import current_totp

PAGES = ["/ui/", "/ui/search", "/ui/incidents/new", "/ui/audit", "/ui/records/x"]


def test_pages_redirect_to_login_without_a_session(client: Any) -> None:
    for path in PAGES:
        reply = client.get(path, follow_redirects=False)
        assert reply.status_code == 303, path
        assert reply.headers["location"].startswith("/ui/login?next=/ui/")
    # An HTMX request from a page whose session has ended sends the browser to the login form.
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf(client)}
    htmx = client.post("/ui/incidents/validate", headers=headers)
    assert htmx.headers["HX-Redirect"] == "/ui/login"


def test_login_page_is_spanish_by_default_and_english_on_request(client: Any) -> None:
    page = client.get("/ui/login")
    assert '<html lang="es">' in page.text and "Iniciar sesión" in page.text
    english = client.get("/ui/login?lang=en")
    assert '<html lang="en">' in english.text and "Sign in" in english.text
    assert "Iniciar sesión" not in english.text
    assert "plataforma_lang=en" in english.headers["set-cookie"]
    assert "Sign in" in client.get("/ui/login").text  # the cookie remembers the choice

    client.cookies.clear()
    reply = client.get("/ui/login", headers={"Accept-Language": "en-GB,en;q=0.9,es;q=0.5"})
    assert "Sign in" in reply.text
    reply = client.get("/ui/login", headers={"Accept-Language": "fr, es-MX;q=0.8"})
    assert "Iniciar sesión" in reply.text


def test_login_sets_a_strict_http_only_cookie_that_the_api_accepts(client: Any) -> None:
    reply = sign_in(client, "clerk")
    assert reply.status_code == 303 and reply.headers["location"] == "/ui/"
    cookie = next(c for c in reply.headers.get_list("set-cookie") if "plataforma_token" in c)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    me = client.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["username"] == "clerk"

    client.cookies.clear()
    forget_totp_use(client.app.state.platform, "clerk")
    totp = current_totp(TOTP_SECRET)
    form = {"username": "clerk", "password": PASSWORD, "totp": totp, "csrf_token": csrf(client)}
    reply = client.post("/ui/login", data={**form, "next": "https://evil.example/"})
    assert reply.status_code == 200 and reply.url.path == "/ui/"


def test_failed_login_is_generic_and_lockout_is_told(client: Any) -> None:
    reply = sign_in(client, "clerk", password="wrong password")
    assert reply.status_code == 401
    assert "Usuario, contraseña o código incorrectos" in reply.text
    assert sign_in(client, "nobody", password="x").text.count("incorrectos") == 1
    for _ in range(4):
        reply = sign_in(client, "clerk", password="wrong password")
    assert "bloqueada" in reply.text
    assert "bloqueada" in sign_in(client, "clerk").text  # even the right password now


def test_posts_without_the_csrf_token_are_refused(client: Any) -> None:
    signed_in(client, "clerk")
    reply = client.post("/ui/incidents/validate", data={"folio": "X"})
    assert reply.status_code == 403
    reply = client.post(
        "/ui/incidents/validate", data={"folio": "X"}, headers={"X-CSRF-Token": "forged"}
    )
    assert reply.status_code == 403
    ok = client.post(
        "/ui/incidents/validate", data={"folio": "X"}, headers={"X-CSRF-Token": csrf(client)}
    )
    assert ok.status_code == 200


def test_logout_ends_the_session(client: Any) -> None:
    signed_in(client, "officer")
    token = client.cookies["plataforma_token"]
    reply = client.post("/ui/logout", data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert reply.status_code == 303
    client.cookies.set("plataforma_token", token)  # a copied cookie dies with the session
    assert client.get("/ui/", follow_redirects=False).status_code == 303

    policy = client.get("/ui/login").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    page = client.get("/ui/login").text
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page
