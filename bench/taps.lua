-- Marshals' phones for bench/taps.py: every request carries new taps (ids
-- unique across the run) from one of 25 devices per wrk thread; every fifth
-- request is the previous one sent again, as a phone retries when an answer
-- is lost. done() prints how many requests were answered 200 and how many
-- taps the server said it accepted (a retry must add none).
threads = {}
local next_id = 1

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  per_request = tonumber(args[1] or "1")
  token = args[2]
  counter, sent, accepted, answered = 0, 0, 0, 0
  last = nil
end

function request()
  sent = sent + 1
  if last ~= nil and sent % 5 == 0 then
    return last
  end
  local taps = {}
  for i = 1, per_request do
    counter = counter + 1
    taps[i] = string.format('{"id":"tap-%d-%08d","direction":"in","delta":1}', tid, counter)
  end
  local device = string.format("phone-%d-%d", tid, counter % 25)
  local body = string.format('{"device":"%s","taps":[%s]}', device, table.concat(taps, ","))
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Token " .. token}
  last = wrk.format("POST", nil, headers, body)
  return last
end

function response(status, headers, body)
  if status == 200 then
    answered = answered + 1
    accepted = accepted + tonumber(string.match(body, '"accepted":(%d+)') or "0")
  end
end

function done(summary, latency, requests)
  local total_answered, total_accepted = 0, 0
  for _, thread in ipairs(threads) do
    total_answered = total_answered + thread:get("answered")
    total_accepted = total_accepted + thread:get("accepted")
  end
  io.write(string.format("answered %d accepted %d\n", total_answered, total_accepted))
end
