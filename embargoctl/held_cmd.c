/* held_cmd.c - "embargoctl held": the mail held back from the team
 * (helditems.c) listed and shown, released (through the delivery path,
 * mda/release.c) or dropped with its raw copy. The daily digest is in
 * helddigest_cmd.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "commands.h"
#include "ctl.h"
#include "helditems.h"
#include "helddigest.h"
#include "release.h"

/* Who decides from here: the local user, for the item's record. */
static char *
held_actor(void)
{
	return g_strdup_printf("embargoctl (%s)", g_get_user_name());
}

static void
held_json_item(JsonBuilder *b, const HeldItem *h)
{
	json_builder_begin_object(b);
	ctl_json_string(b, "id", h->id);
	ctl_json_string(b, "list", h->list);
	ctl_json_string(b, "state", h->state);
	ctl_json_string(b, "received_at", h->received_at);
	ctl_json_string(b, "envelope_from", h->envelope_from);
	ctl_json_string(b, "recipient", h->recipient);
	ctl_json_string(b, "from", h->from_addr);
	ctl_json_string(b, "from_name", h->from_name);
	ctl_json_string(b, "subject", h->subject);
	json_builder_set_member_name(b, "size");
	json_builder_add_int_value(b, h->size);
	ctl_json_string(b, "message_id", h->message_id);
	ctl_json_string(b, "why", h->why);
	json_builder_set_member_name(b, "spam_score");
	if (h->scored)
		json_builder_add_double_value(b, h->spam_score);
	else
		json_builder_add_null_value(b);
	ctl_json_string(b, "spam_symbols", h->spam_symbols);
	ctl_json_string(b, "spool_path", h->spool_path);
	ctl_json_string(b, "case", h->case_id);
	ctl_json_string(b, "decided_by", h->decided_by);
	ctl_json_string(b, "decided_at", h->decided_at);
	ctl_json_string(b, "digested_at", h->digested_at);
	json_builder_end_object(b);
}

static void
held_print_item(const HeldItem *h)
{
	printf("%s  %s  %s\n", ctl_safe(h->id), ctl_safe(h->list), ctl_safe(h->state));
	printf("  Received:  %s\n", ctl_safe(h->received_at));
	printf("  Envelope:  %s\n", ctl_safe(h->envelope_from));
	printf("  To:        %s\n", ctl_safe(h->recipient));
	if (h->from_name != NULL && *h->from_name != '\0')
		printf("  From:      %s <%s>\n", ctl_safe(h->from_name), ctl_safe(h->from_addr));
	else
		printf("  From:      %s\n", h->from_addr != NULL ? ctl_safe(h->from_addr) : "-");
	printf("  Subject:   %s\n", ctl_safe(h->subject));
	printf("  Size:      %" G_GINT64_FORMAT " bytes\n", h->size);
	printf("  Message-ID: <%s>\n", ctl_safe(h->message_id));
	printf("  Held:      %s\n", ctl_safe(h->why));
	if (h->scored)
		printf("  Spam:      score %.2f%s%s\n", h->spam_score,
		       h->spam_symbols != NULL ? ": " : "",
		       h->spam_symbols != NULL ? ctl_safe(h->spam_symbols) : "");
	if (h->spool_path != NULL)
		printf("  Raw copy:  %s\n", ctl_safe(h->spool_path));
	if (strcmp(h->state, "released") == 0)
		printf("  Released:  as %s by %s on %s\n", ctl_safe(h->case_id),
		       ctl_safe(h->decided_by), ctl_safe(h->decided_at));
	else if (strcmp(h->state, "dropped") == 0)
		printf("  Dropped:   by %s on %s\n", ctl_safe(h->decided_by),
		       ctl_safe(h->decided_at));
}

static int
held_list_cmd(Ctl *ctl, const char *list, gboolean all, gboolean json)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) items = NULL;

	if (list != NULL && ctl_list(ctl, list) == NULL)
		return EX_DATAERR;
	if (!held_item_list(ctl->db, list != NULL ? ctl_list(ctl, list)->address : NULL,
	                    all ? NULL : "held", NULL, NULL, &items, &err))
		return ctl_error(err);
	if (json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		g_autoptr(JsonNode) root = NULL;
		json_builder_begin_array(b);
		for (guint i = 0; i < items->len; i++)
			held_json_item(b, items->pdata[i]);
		json_builder_end_array(b);
		root = json_builder_get_root(b);
		ctl_print_json(root);
		return EX_OK;
	}
	for (guint i = 0; i < items->len; i++) {
		const HeldItem *h = items->pdata[i];
		g_autofree char *subject = g_utf8_substring(ctl_safe(h->subject), 0, 60);
		printf("%s  %s  %-8s %s  %s  %s\n", ctl_safe(h->id), ctl_safe(h->list), h->state,
		       ctl_safe(h->received_at),
		       h->from_addr != NULL ? ctl_safe(h->from_addr) : "-", subject);
	}
	return EX_OK;
}

/* *OUT the item ID names, or an exit status after saying why not. */
static int
held_lookup(Ctl *ctl, const char *text, HeldItem **out)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *id = NULL;

	*out = NULL;
	if (!held_item_id_parse(text, &id)) {
		fprintf(stderr, "embargoctl: '%s' is no held item id (%s-YYYY-NNNN)\n",
		        ctl_safe(text), HELD_PREFIX);
		return EX_DATAERR;
	}
	if (!held_item_get(ctl->db, id, out, &err))
		return ctl_error(err);
	if (*out == NULL) {
		fprintf(stderr, "embargoctl: there is no held item %s\n", id);
		return EX_DATAERR;
	}
	return EX_OK;
}

static int
held_show_cmd(Ctl *ctl, const char *text, gboolean json)
{
	g_autoptr(HeldItem) h = NULL;
	int status = held_lookup(ctl, text, &h);

	if (status != EX_OK)
		return status;
	if (json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		g_autoptr(JsonNode) root = NULL;
		held_json_item(b, h);
		root = json_builder_get_root(b);
		ctl_print_json(root);
	} else {
		held_print_item(h);
	}
	return EX_OK;
}

static int
held_release_cmd(Ctl *ctl, const char *text)
{
	g_autoptr(HeldItem) h = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree char *by = held_actor(), *case_id = NULL;
	int status = held_lookup(ctl, text, &h);

	if (status != EX_OK)
		return status;
	status = release_held(ctl->config, ctl->db, h->id, by, &case_id, &err);
	if (status != EX_OK) {
		fprintf(stderr, "embargoctl: %s\n", err->message);
		return status;
	}
	printf("%s released as %s\n", h->id, case_id != NULL ? case_id : "?");
	return EX_OK;
}

static int
held_drop_cmd(Ctl *ctl, const char *text)
{
	g_autoptr(HeldItem) h = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) now = calendar_now();
	g_autofree char *by = held_actor(), *now_iso = calendar_iso(now);
	gboolean done = FALSE;
	int status = held_lookup(ctl, text, &h);

	if (status != EX_OK)
		return status;
	if (!db_begin(ctl->db, &err) ||
	    !held_item_decide(ctl->db, h->id, "dropped", NULL, by, now_iso, &done, &err) ||
	    (done && !db_commit(ctl->db, &err))) {
		db_rollback(ctl->db);
		return ctl_error(err);
	}
	if (!done) {
		db_rollback(ctl->db);
		fprintf(stderr, "embargoctl: %s is not held any more (%s)\n", h->id, h->state);
		return EX_DATAERR;
	}
	/* After the commit: the copy goes once no row names it. */
	if (h->spool_path != NULL && unlink(h->spool_path) != 0 && errno != ENOENT)
		fprintf(stderr, "embargoctl: %s: could not remove its raw copy %s: %s\n", h->id,
		        h->spool_path, g_strerror(errno));
	printf("%s dropped\n", h->id);
	return EX_OK;
}

int
cmd_held(Ctl *ctl, int argc, char **argv)
{
	gboolean json = FALSE, all = FALSE;
	g_autofree char *now_text = NULL;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON (list, show)", NULL },
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all, "released and dropped items too (list)",
		  NULL },
		{ "now", 0, 0, G_OPTION_ARG_STRING, &now_text, "stand on this time (digest)",
		  "TIME" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	const char *sub;
	int status;

	if ((status = ctl_options("held", entries, &argc, &argv)) != EX_OK)
		return status;
	sub = argc >= 2 ? argv[1] : "";
	if (!((strcmp(sub, "list") == 0 && argc <= 3) ||
	      (strcmp(sub, "show") == 0 && argc == 3 && !all) ||
	      ((strcmp(sub, "release") == 0 || strcmp(sub, "drop") == 0) && argc == 3 && !json &&
	       !all) ||
	      (strcmp(sub, "digest") == 0 && argc == 2 && !json && !all)) ||
	    (now_text != NULL && strcmp(sub, "digest") != 0))
		return ctl_usage(
			"held: expected 'held list [LIST] [--all] [--json]', 'held show ID "
			"[--json]', 'held release ID', 'held drop ID' or 'held digest'");
	if ((status = ctl_open_db(ctl)) != EX_OK)
		return status;
	if (strcmp(sub, "list") == 0)
		return held_list_cmd(ctl, argc == 3 ? argv[2] : NULL, all, json);
	if (strcmp(sub, "show") == 0)
		return held_show_cmd(ctl, argv[2], json);
	if (strcmp(sub, "release") == 0)
		return held_release_cmd(ctl, argv[2]);
	if (strcmp(sub, "drop") == 0)
		return held_drop_cmd(ctl, argv[2]);
	return held_digest(ctl, now_text);
}
