-- wrk script for bench/serve_load.py: complete questionnaires POSTed to /api/v1/answers.
--
--   UNITS_FILE=units.txt DEVICES=500 wrk -t2 -c16 -d30s --latency -s bench/post.lua http://127.0.0.1:8000/
--
-- UNITS_FILE holds one unit slug per line (one line: all load on one unit). Every request carries
-- a new idempotency key: a random per-thread prefix read from /dev/urandom plus a counter, so two
-- threads, a warm-up and the measured run never share a key. The device id cycles over DEVICES
-- values (default 500) shared by all threads, so the device counters and flags do real work.
-- At the end it prints one line "statuses 201=N 200=N ..." (replies per HTTP status, all threads)
-- that serve_load.py reads beside wrk's own summary.

local ELEMENTS = {
  "persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "sarana", "pengaduan",
}

-- Main Lua state (setup/done) --------------------------------------------------------------------
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    if counts then
      for status, n in pairs(counts) do
        total[status] = (total[status] or 0) + n
      end
    end
  end
  local keys = {}
  for status in pairs(total) do keys[#keys + 1] = status end
  table.sort(keys)
  local parts = {}
  for _, status in ipairs(keys) do parts[#parts + 1] = string.format("%d=%d", status, total[status]) end
  io.write("statuses " .. table.concat(parts, " ") .. "\n")
end

-- Per-thread Lua states (init/request/response); thread_id is set by setup() above ---------------
local units = {}
local devices = 500
local prefix = "x"
local counter = 0
local template = nil
statuses = {}  -- global: read by done() through thread:get

local function random_hex(bytes)
  local f = io.open("/dev/urandom", "rb")
  local raw = f:read(bytes)
  f:close()
  return (raw:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

function init(args)
  local path = os.getenv("UNITS_FILE")
  assert(path, "UNITS_FILE not set")
  for line in io.lines(path) do
    if line ~= "" then units[#units + 1] = line end
  end
  assert(#units > 0, "UNITS_FILE is empty")
  devices = tonumber(os.getenv("DEVICES") or "500")
  local seed = random_hex(4)
  math.randomseed(tonumber(seed, 16) + (thread_id or 0))
  prefix = string.format("b%d-%s", thread_id or 0, random_hex(6))
  local fields = {}
  for i, element in ipairs(ELEMENTS) do fields[i] = string.format('"%s":%%d', element) end
  template = '{"unit":"%s","answers":{' .. table.concat(fields, ",") .. '},'
    .. '"gender":"%s","age_band":"u35","education":"s1","occupation":"swasta",'
    .. '"idempotency_key":"%s-%d","channel":"api","device":"bench-device-%d"}'
end

local headers = { ["Content-Type"] = "application/json" }
local genders = { "L", "P" }

function request()
  counter = counter + 1
  local r = math.random
  local body = string.format(template, units[r(#units)],
    r(4), r(4), r(4), r(4), r(4), r(4), r(4), r(4), r(4),
    genders[r(2)], prefix, counter, r(devices))
  return wrk.format("POST", "/api/v1/answers", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
