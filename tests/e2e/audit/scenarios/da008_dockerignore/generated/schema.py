SCHEMA = {"version": 1}
