-- tests/milter/rate6.lua - rate_limit = 3/600, rate_ipv6_prefix at its
-- default (64): an IPv6 client counts per /64, so rotating through the
-- addresses of its /64 does not escape the limit; the next /64 is another
-- client, and an IPv4-mapped address is the IPv4 client it maps.
dofile(LIB)

for i = 1, 3 do
	local conn, r = message({ qid = "RATESIX" .. i, ip = "2001:db8:6:4::" .. i })
	is(r.eom, "continue", "message " .. i .. " of 3 from 2001:db8:6:4::" .. i .. " is accepted")
	done(conn)
end
local conn, r = message({ qid = "RATESIX4", ip = "2001:db8:6:4:ffff:1:2:3" })
is(r.rcpt[1], "replycode", "a fourth address of the same /64 is refused at RCPT")
done(conn)
conn, r = message({ qid = "RATESIX5", ip = "2001:db8:6:5::1" })
is(r.eom, "continue", "the next /64 is another client")
done(conn)
