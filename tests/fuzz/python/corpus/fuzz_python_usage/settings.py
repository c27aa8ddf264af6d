import os
INSTALLED_APPS = [
    "django.contrib.admin",
    "corsheaders",  # comment "notapp"
    "proj.apps.ProjConfig",
    'storages',
]
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x", "HOST": "db.example.com"}}
CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://r:6379/1",
    "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"}}}
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"], "PAGE_SIZE": 10}
if os.environ.get("DEBUG"):
    INSTALLED_APPS += ["debug_toolbar"]
