/* teammail.c - the list's own short mails to its team, or to a pre-release
 * list's readers: a TeamMail said as an outgoing mail (outmail.h) and
 * queued by the one sealing rule (seal.h). They carry what the team decided
 * about a case, never the report, but they still name cases and what is
 * wrong with them: on a list with a key they are encrypted like the team's
 * copies. */
#include "teammail.h"

#include "seal.h"

gboolean
teammail_queue(Db *db, const EmbargoConfig *config, const EmbargoList *list, const TeamMail *tm,
               guint *queued, GError **error)
{
	OutHead h = {
		.list = list,
		.audience = tm->never_plain ? AUDIENCE_READERS : AUDIENCE_TEAM,
		.kind = tm->kind,
		.purpose = tm->notice ? OUT_NOTICE : OUT_WRITTEN,
		.case_id = tm->case_id,
		.cause = tm->cause,
		.subject = tm->subject,
		.now = tm->now,
	};
	SealMail sm = {
		.head = &h,
		.to = tm->recipients,
		.except = tm->except,
		.to_fprs = tm->recipient_fprs,
		.enc_home = tm->enc_home,
		.text = tm->text,
	};

	g_return_val_if_fail(!tm->never_plain || (tm->recipients != NULL && tm->recipient_fprs != NULL),
	                     FALSE);
	return seal_queue(db, config->state_dir, &sm, queued, error);
}
