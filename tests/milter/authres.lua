-- tests/milter/authres.lua - Authentication-Results fields claiming our
-- authserv-id are removed before ours is added; other servers' are kept.
-- (Which fields went is checked in the milter's log by t-milter.sh: the
-- protocol does not tell miltertest the index of a deleted field.)
dofile(LIB)

local conn, r = message({ qid = "FORGED1", headers = {
	{ "Authentication-Results", ID .. "; spf=pass smtp.mailfrom=boss@example.org" },
	{ "Authentication-Results", "other.example; spf=fail smtp.mailfrom=x@y.example" },
	{ "Authentication-Results", string.upper(ID) .. " 1; dkim=pass header.d=example.org" },
	{ "Authentication-Results", "  \"" .. ID .. "\" (quoted) ; spf=pass" },
	{ "Subject", "forged" },
} })
is(r.eom, "continue", "a message with forged fields is accepted")
check(mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results"), "a field claiming our authserv-id is deleted")
is(added_ar(conn), ID .. "; spf=pass smtp.mailfrom=jane@pass.example", "and ours is added")
done(conn)

conn, r = message({ qid = "FOREIGN1", headers = {
	{ "Authentication-Results", "other.example; spf=pass smtp.mailfrom=jane@pass.example" },
	{ "Authentication-Results", "sub." .. ID .. "; spf=pass" },
	{ "Authentication-Results", "x" .. ID .. "; spf=pass" },
	{ "Authentication-Results", "other.example; spf=pass (" .. ID .. ") smtp.mailfrom=a@b.example" },
	{ "Subject", "foreign" },
} })
is(r.eom, "continue", "a message with only foreign fields is accepted")
check(not mt.eom_check(conn, MT_HDRDELETE), "no field is deleted when none claims our authserv-id")
is(added_ar(conn), ID .. "; spf=pass smtp.mailfrom=jane@pass.example", "ours is added")
done(conn)

conn, r = message({ qid = "NOAR1" })
check(not mt.eom_check(conn, MT_HDRDELETE), "no Authentication-Results at all: nothing deleted")
check(not mt.eom_check(conn, MT_HDRCHANGE), "... nothing changed")
done(conn)
