-- tests/milter/reload-kept.lua - after reloads that failed, the second
-- configuration of reload.lua (v2) is still in force, whole.
dofile(LIB)

local conn, r = message({ qid = "KEPT1", ip = "192.0.2.111", esmtp = { "SIZE=3000" } })
is(r.eom, "continue", "SIZE=3000 to security@ is still accepted (5000)")
is(added_ar(conn), ID2 .. "; spf=pass smtp.mailfrom=jane@pass.example", "... tagged with authserv-id " .. ID2)
done(conn)
conn, r = message({ qid = "KEPT2", ip = "192.0.2.112", esmtp = { "SIZE=6000" } })
is(r.rcpt[1], "replycode", "SIZE=6000 is still refused")
done(conn)
conn, r = message({ qid = "KEPT3", ip = "192.0.2.113", rcpts = { "<other@example.org>" } })
is(r.eom, "continue", "other@ is still judged")
done(conn)
conn, r = message({ qid = "KEPT4", ip = "192.0.2.114", from = "<mallory@fail.example>" })
is(r.rcpt[1], "replycode", "spf_fail = reject still refuses")
done(conn)
for i = 1, 2 do
	conn, r = message({ ip = "192.0.2.115" })
	is(r.eom, "continue", "rate 2/600: message " .. i .. " of 2 from 192.0.2.115")
	done(conn)
end
conn, r = message({ ip = "192.0.2.115" })
is(r.rcpt[1], "replycode", "... the third is refused")
done(conn)
