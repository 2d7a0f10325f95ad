/* fuzz-cvss.c - libFuzzer harness: CVSS vectors as reporters paste them,
 * and what we promise about any vector we accept: scores on the scale,
 * the rating of the base score, the version the vector names, and a
 * normalised vector that reads back to itself with the same scores. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cvss.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_auto(CvssScore) s = { 0 };
	g_auto(CvssScore) again = { 0 };
	g_autoptr(GError) error = NULL;

	if (!cvss_parse(text, &s, &error)) {
		/* refused: with a message, and nothing allocated */
		if (error == NULL || error->message[0] == '\0' || s.vector != NULL)
			abort();
		return 0;
	}
	if (error != NULL || !(s.score >= 0.0 && s.score <= 10.0) ||
	    !(s.temporal_score >= 0.0 && s.temporal_score <= 10.0) ||
	    !(s.environmental_score >= 0.0 && s.environmental_score <= 10.0))
		abort();
	if (strcmp(s.rating, cvss_rating(s.score)) != 0)
		abort();
	if (strcmp(s.version, "3.0") != 0 && strcmp(s.version, "3.1") != 0 &&
	    strcmp(s.version, "4.0") != 0)
		abort();
	/* a version prefix is never swapped for another */
	if (strncmp(s.vector + 5, s.version, 3) != 0)
		abort();
	if (!cvss_parse(s.vector, &again, NULL) || again.score != s.score ||
	    again.temporal_score != s.temporal_score ||
	    again.environmental_score != s.environmental_score ||
	    strcmp(again.vector, s.vector) != 0 || strcmp(again.version, s.version) != 0)
		abort();
	return 0;
}
