/* embedded.c - registers the GResource bundle generated from
 * lib/embargo.gresource.xml (the schema migrations and the policy presets).
 * Registered explicitly: a static library would otherwise drop the
 * generated object and its constructor at link time. */
#include "embedded.h"

#include <gio/gio.h>

#include "resources.h"

void
embedded_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		embargo_register_resource();
		g_once_init_leave(&done, 1);
	}
}
