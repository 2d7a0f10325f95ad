/* advisory_cmd.c - "embargoctl case advisory": a case's advisory on
 * standard output, as Markdown, OSV or CSAF; lib/advisory.c writes it. */
#include <stdio.h>

#include "advisory.h"
#include "calendar.h"
#include "cases.h"
#include "commands.h"
#include "ctl.h"
#include "termsafe.h"

int
cmd_case_advisory(Ctl *ctl, int argc, char **argv)
{
	g_autofree char *format_name = NULL;
	GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format_name, "markdown (default), osv or csaf",
		  "FORMAT" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GError) err = NULL;
	g_autofree char *id = NULL;
	g_autoptr(Case) c = NULL;
	g_autoptr(GDateTime) now = NULL;
	g_autofree char *text = NULL, *safe = NULL;
	const EmbargoList *list;
	AdvisoryFormat format;
	int status;

	if ((status = ctl_options("case advisory", entries, &argc, &argv)) != EX_OK)
		return status;
	if (argc != 2)
		return ctl_usage("case advisory: expected one CASE-ID");
	if (!advisory_format_parse(format_name != NULL ? format_name : "markdown", &format))
		return ctl_usage("case advisory: unknown format '%s' (markdown, osv or csaf)",
		                 format_name);
	if ((status = ctl_open_db(ctl)) != EX_OK)
		return status;
	id = g_ascii_strup(argv[1], -1);
	if (!case_get(ctl->db, id, &c, &err))
		return ctl_error(err);
	if (c == NULL) {
		fprintf(stderr, "embargoctl: no case %s\n", argv[1]);
		return EX_DATAERR;
	}
	/* The publisher is the case's list: one removed from the configuration
	 * is a configuration problem, not a bad argument. */
	list = config_find_list(ctl->config, c->list);
	if (list == NULL) {
		fprintf(stderr, "embargoctl: %s belongs to %s, which is not a list in %s\n", c->id,
		        c->list, ctl->config->path);
		return EX_CONFIG;
	}
	now = calendar_now();
	text = advisory_render(ctl->db, ctl->config, list, c, format, now, &err);
	if (text == NULL)
		return ctl_error(err);
	/* JSON formats are exact; the Markdown text is read on a terminal first */
	if (format == ADVISORY_MARKDOWN)
		safe = termsafe_text(text);
	fputs(safe != NULL ? safe : text, stdout);
	return EX_OK;
}
