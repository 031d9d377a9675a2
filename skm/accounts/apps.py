from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "skm.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"
