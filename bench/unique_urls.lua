-- wrk: every request a new address, as searches reach the site, so no page
-- comes from the shared cache (an ignored parameter, n=<count>-<random>).
--   WRK_PATH='/claims/?q=police&' wrk -t1 -c8 -d10s -s bench/unique_urls.lua http://127.0.0.1:8000/
-- WRK_PATH ends with "?" or "&".
counter = 0
math.randomseed(os.time())
local base = os.getenv("WRK_PATH") or "/claims/?"
request = function()
  counter = counter + 1
  return wrk.format("GET", base .. "n=" .. counter .. "-" .. math.random(1000000000))
end
