"""Signs in with google-auth, reads a bucket, caches the token."""
import cachetools
import google.auth
from google.cloud import storage


def main():
    credentials, project = google.auth.default()
    cache = cachetools.TTLCache(maxsize=1, ttl=300)
    cache["client"] = storage.Client(project=project, credentials=credentials)
    return cache


if __name__ == "__main__":
    main()
