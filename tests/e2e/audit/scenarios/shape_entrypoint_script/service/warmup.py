import redis

redis.Redis(host="cache").ping()
