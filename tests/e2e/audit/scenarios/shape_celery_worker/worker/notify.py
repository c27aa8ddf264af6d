import redis

client = redis.Redis(host="cache")


def send(target, text):
    client.publish(target, text)
