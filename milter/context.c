/* context.c - the lifetime of embargo-milter's per-connection and
 * per-message contexts (context.h). A connection holds a reference to the
 * configuration in force when it began, so a reload never changes the
 * rules for connections already open. */
#include "context.h"

void
msg_free(MsgCtx *msg)
{
	if (msg == NULL)
		return;
	g_free(msg->sender);
	g_free(msg->spf_why);
	g_array_unref(msg->forged);
	g_free(msg);
}

void
conn_free(ConnCtx *conn)
{
	if (conn == NULL)
		return;
	msg_free(conn->msg);
	runtime_unref(conn->rt);
	g_free(conn->addr);
	g_free(conn->helo);
	g_free(conn);
}

ConnCtx *
conn_new(void)
{
	Runtime *rt = runtime_current();
	ConnCtx *conn;

	if (rt == NULL)
		return NULL;
	conn = g_new0(ConnCtx, 1);
	conn->rt = rt;
	return conn;
}

