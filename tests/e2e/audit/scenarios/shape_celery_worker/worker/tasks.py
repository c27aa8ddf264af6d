from celery import Celery

from .notify import send

app = Celery("worker", broker="redis://cache:6379/0")


@app.task
def ping(target):
    send(target, "pong")
