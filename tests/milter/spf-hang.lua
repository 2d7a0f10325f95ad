-- tests/milter/spf-hang.lua - with every SPF worker stopped (SIGSTOP by the
-- runner), a lookup ends at spf_timeout as temperror; the next one gets a
-- new worker and is judged as usual.
dofile(LIB)

local conn, r = message({ qid = "HANG1", from = "<jane@pass.example>" })
is(r.eom, "continue", "a lookup whose worker hangs: the message is accepted")
is(added_ar(conn), ID .. "; spf=temperror smtp.mailfrom=jane@pass.example", "... with spf=temperror")
done(conn)
conn, r = message({ qid = "HANG2", from = "<jane@pass.example>" })
is(added_ar(conn), ID .. "; spf=pass smtp.mailfrom=jane@pass.example", "the next lookup gets a new worker: spf=pass")
done(conn)
