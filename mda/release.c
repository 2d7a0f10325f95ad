/* release.c - a held item becomes what it would have been: its raw copy is
 * read again by deliver(), with routing told not to hold it, so the case,
 * the acknowledgement (where the auto-reply gate allows one) and the team's
 * copy are exactly those of a mail that had just arrived. Used by
 * "embargoctl held release", which links this library: nothing in
 * embargo-mda's argv can ask for a release, so mail from Postfix cannot
 * skip the hold. */
#include "release.h"

#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "address.h"
#include "deliver.h"
#include "helditems.h"
#include "log.h"

/* ERROR set to WHY (taken); always EX_DATAERR. */
static int
release_refused(GError **error, char *why)
{
	g_set_error_literal(error, EMBARGO_DB_ERROR, DB_ERROR_FAILED, why);
	g_free(why);
	return EX_DATAERR;
}

/* Why H cannot be released, or NULL when it can; caller g_frees. */
static char *
release_obstacle(const EmbargoConfig *config, const HeldItem *h)
{
	if (strcmp(h->state, "released") == 0)
		return g_strdup_printf("%s was released already, as %s by %s on %s", h->id,
		                       h->case_id != NULL ? h->case_id : "?", h->decided_by,
		                       h->decided_at);
	if (strcmp(h->state, "held") != 0)
		return g_strdup_printf("%s was dropped by %s on %s", h->id, h->decided_by,
		                       h->decided_at);
	if (config_find_list(config, h->list) == NULL)
		return g_strdup_printf("%s is held for %s, which is no list any more", h->id,
		                       h->list);
	return NULL;
}

int
release_held(const EmbargoConfig *config, Db *db, const char *id, const char *by, char **case_id,
             GError **error)
{
	g_autoptr(HeldItem) h = NULL;
	g_autofree char *why = NULL, *local = NULL, *ext = NULL, *domain = NULL;
	Delivery d = { 0 };
	int fd, status;

	*case_id = NULL;
	if (!held_item_get(db, id, &h, error))
		return EX_TEMPFAIL;
	if (h == NULL)
		return release_refused(error, g_strdup_printf("there is no held item %s", id));
	if ((why = release_obstacle(config, h)) != NULL)
		return release_refused(error, g_steal_pointer(&why));
	fd = open(h->spool_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
		            "%s: its raw copy %s: %s", id, h->spool_path, g_strerror(errno));
		return EX_TEMPFAIL;
	}
	(void)address_split(h->recipient, &local, &ext, &domain);
	d = (Delivery){
		.config = config,
		.list = config_find_list(config, h->list),
		.envelope_from = h->envelope_from,
		.recipient = h->recipient,
		.ext = ext,
		.send_timeout = MAX(2, MIN(60, config->time_limit / 3)),
		.release = id,
		.released_by = by,
	};
	g_mime_init();
	status = deliver(&d, fd);
	g_mime_shutdown();
	close(fd);
	if (status == EX_DATAERR)
		return release_refused(error, g_strdup_printf("%s is no longer held (released or "
		                                              "dropped meanwhile)",
		                                              id));
	if (status != EX_OK) {
		g_set_error(error, EMBARGO_DB_ERROR, DB_ERROR_BUSY,
		            "%s: not released now (see the log above); it stays held", id);
		return EX_TEMPFAIL;
	}
	/* The item now names the case it became (only shown: a failure to read
	 * it back changes nothing). */
	g_clear_pointer(&h, held_item_free);
	if (held_item_get(db, id, &h, NULL) && h != NULL)
		*case_id = g_strdup(h->case_id);
	return EX_OK;
}
