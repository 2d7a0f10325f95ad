/* mimedefects.h - which defects of a message GMime's parser reports can be
 * read past as a mail reader does, and which cannot. */
#ifndef EMBARGO_MIMEDEFECTS_H
#define EMBARGO_MIMEDEFECTS_H

#include "gmime-autoptr.h"

typedef enum {
	MIMEDEFECT_IGNORE,    /* nothing the team needs to hear of */
	MIMEDEFECT_NOTE,      /* read past it; the team is told */
	MIMEDEFECT_TRUNCATED, /* the structure ends early: every part before is kept */
	MIMEDEFECT_FATAL,     /* what was parsed cannot be trusted to be the message */
} MimeDefectKind;

/* What the parser's warning CODE about ITEM (a header name or line, may be
 * NULL) at OFFSET means; *TEXT (caller g_frees) is the line for the team
 * (a note, or the problem for MIMEDEFECT_FATAL), NULL for the others. */
MimeDefectKind mimedefect_classify(GMimeParserWarning code, const char *item, gint64 offset,
                                   char **text);

/* Where the header block starts in FD's file when lines that are not
 * header fields come first (a bounce's preamble, junk before the
 * headers): the offset of the first line that is one, within the first
 * 64 KiB; *SKIPPED (caller g_frees) the first of the lines before it, made
 * one line. -1 (*SKIPPED NULL) when there is no such line, or it is the
 * first. */
gint64 mimedefect_header_start(int fd, char **skipped);

#endif
