/* opencases.h - what embargoctl's commands about where cases stand under
 * their policy (remind, agenda, stats) share: the --now option, the open
 * cases of a list with their deadlines brought up to date, and sending what
 * they queued. */
#ifndef EMBARGO_CTL_OPENCASES_H
#define EMBARGO_CTL_OPENCASES_H

#include "cases.h"
#include "ctl.h"

GDateTime *opencases_now(const char *text);
gboolean opencases_is_open(const EmbargoList *list, const Case *c);
GPtrArray *opencases_list(Ctl *ctl, const EmbargoList *list, GDateTime *now,
                                GError **error);
int opencases_flush(Ctl *ctl);

#endif
