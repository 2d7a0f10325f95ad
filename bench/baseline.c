/* baseline.c - the floor for bench/run: a process linked with the same
 * libraries as embargo-mda (GMime 3, GLib/GIO, SQLite, GPGME; json-glib
 * only when embargo-mda loads it, see below) that initialises GMime, shuts it down and exits. Its run time is what
 * starting such a process costs: dynamic linking, relocations, library
 * constructors, g_mime_init(). embargo-mda cannot be cheaper than this.
 *
 * Built by bench/run with
 *   cc baseline.c $(pkg-config --cflags --libs gmime-3.0 gio-2.0 json-glib-1.0 sqlite3 gpgme) \
 *      -Wl,--as-needed
 * The symbols referenced below keep GMime, GIO, SQLite and GPGME linked
 * (GPGME is loaded through GMime anyway). json-glib is deliberately not
 * referenced by default: embargo-mda does not call it, so a linker that
 * works --as-needed (Debian's does) drops it from embargo-mda (only
 * embargoctl uses it), and --as-needed drops it here the same way. When
 * embargo-mda does load it, bench/run builds with -DBASELINE_JSON_GLIB;
 * likewise -DBASELINE_CURL for libcurl (the spam check).
 * bench/run then checks that both load the same set of libraries. */
#include <gio/gio.h>
#include <gmime/gmime.h>
#include <gpgme.h>
#include <sqlite3.h>
#ifdef BASELINE_JSON_GLIB
#include <json-glib/json-glib.h>
#endif
#ifdef BASELINE_CURL
#include <curl/curl.h>
#endif

/* Never called; referenced so that each library stays linked. */
void *baseline_keep[] = {
	(void *)sqlite3_libversion,
	(void *)gpgme_check_version,
	(void *)g_subprocess_launcher_new,
#ifdef BASELINE_JSON_GLIB
	(void *)json_builder_new,
#endif
#ifdef BASELINE_CURL
	(void *)curl_easy_init,
#endif
};

int
main(void)
{
	g_mime_init();
	g_mime_shutdown();
	return 0;
}
