wrk.method = "POST"
wrk.body = '{"party_size": 1}'
wrk.headers["Content-Type"] = "application/json"
