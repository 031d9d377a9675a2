"""``skm api-token create|revoke|list``: keys for the JSON API's staff endpoints (skm/api/results.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from skm.accounts import audit
from skm.accounts.models import ApiToken, User

EXIT_BAD_INPUT = 2


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_BAD_INPUT)


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Token API: kunci untuk membaca hasil lewat /api/v1/results/ sebagai seorang pengguna.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="PERINTAH")
        create = actions.add_parser(
            "create",
            help=_("buat token untuk seorang pengguna dan cetak kuncinya (sekali saja)"),
            description=_(
                "Membuat token API untuk PENGGUNA dan mencetak kuncinya satu kali: yang disimpan "
                "hanya sidik SHA-256-nya. Token membaca apa yang boleh dibaca penggunanya. Kirim "
                "sebagai header 'Authorization: Bearer <kunci>'."
            ),
        )
        create.add_argument("username", metavar="PENGGUNA", help=_("nama pengguna (username)"))
        create.add_argument("--name", required=True, metavar="NAMA", help=_("untuk apa token ini"))
        revoke = actions.add_parser(
            "revoke",
            help=_("cabut token (nomornya dari 'list'); sejak itu kuncinya ditolak"),
        )
        revoke.add_argument("token", type=int, metavar="NOMOR", help=_("nomor token"))
        listing = actions.add_parser("list", help=_("daftar token (tanpa kunci)"))
        listing.add_argument("username", nargs="?", metavar="PENGGUNA", help=_("hanya token pengguna ini"))

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, options["action"])(options)

    def create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise _bad(_("Pengguna '{username}' tidak ditemukan.").format(username=options["username"]))
        name = options["name"].strip()
        if not name or len(name) > 100:
            raise _bad(_("Nama token harus diisi, paling banyak 100 karakter."))
        token, key = ApiToken.issue(user, name)
        audit.record("api_token.create", token, summary=str(token))
        self.stderr.write(
            _(
                "Token nomor {id} untuk {user} dibuat. Simpan kuncinya sekarang; kunci tidak dapat dilihat lagi:"
            ).format(id=token.pk, user=user.username)
        )
        self.stdout.write(key)

    def revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(pk=options["token"]).first()
        if token is None:
            raise _bad(_("Token nomor {id} tidak ditemukan.").format(id=options["token"]))
        if token.revoked:
            self.stdout.write(_("Token nomor {id} sudah dicabut sebelumnya.").format(id=token.pk))
            return
        token.revoke()
        audit.record("api_token.revoke", token, summary=str(token))
        self.stdout.write(_("Token nomor {id} dicabut.").format(id=token.pk))

    def list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("pk")
        if options.get("username"):
            tokens = tokens.filter(user__username=options["username"])
        for token in tokens:
            state = _("dicabut") if token.revoked else _("aktif")
            used = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "-"
            self.stdout.write(f"{token.pk}\t{token.user.username}\t{token.name}\t{state}\t{used}")
