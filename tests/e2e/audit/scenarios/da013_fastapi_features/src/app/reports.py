import httpx


def totals():
    # http2=True in a comment is not a use
    with httpx.Client(http2=True) as client:
        return client.get("http://totals.internal/sum").json()
