from .settings_base import *  # noqa

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
