#!/usr/bin/env python3
# Writes users.json in the current directory.
# 100,000 user records as one JSON array (about 10 MB), for the SharedArray memory measurement.
import json, random
random.seed(1)
cities = ["Oslo", "Lisbon", "Nairobi", "Lima", "Osaka", "Quebec"]
users = [{"id": i, "name": "user%06d" % i, "email": "user%06d@example.com" % i,
          "age": random.randint(18, 90), "city": random.choice(cities),
          "tags": random.sample(["a", "b", "c", "d", "e"], 2)}
         for i in range(100000)]
with open("users.json", "w") as f:
    json.dump(users, f, separators=(",", ":"))
