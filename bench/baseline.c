/* baseline.c - the floor for bench/run: a process linked with the same
 * libraries as embargo-mda (GMime 3, GLib/GIO, json-glib, SQLite, GPGME)
 * that initialises GMime, shuts it down and exits. Its run time is what
 * starting such a process costs: dynamic linking, relocations, library
 * constructors, g_mime_init(). embargo-mda cannot be cheaper than this.
 *
 * Built by bench/run with:
 *   cc baseline.c $(pkg-config --cflags --libs gmime-3.0 gio-2.0 json-glib-1.0 sqlite3 gpgme)
 * The symbols referenced below keep every library a real DT_NEEDED
 * dependency even where the toolchain links with --as-needed, as
 * embargo-mda's own uses of them do. */
#include <gio/gio.h>
#include <gmime/gmime.h>
#include <gpgme.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

/* Never called; referenced so that each library stays linked. */
void *baseline_keep[] = {
	(void *)sqlite3_libversion,
	(void *)gpgme_check_version,
	(void *)json_builder_new,
	(void *)g_subprocess_launcher_new,
};

int
main(void)
{
	g_mime_init();
	g_mime_shutdown();
	return 0;
}
