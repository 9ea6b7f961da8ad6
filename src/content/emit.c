/* emit.c: an article's front matter as YAML, written with libyaml's emitter */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include <yaml.h>

#include "folio.h"
#include "util/buf.h"
#include "util/diag.h"
#include "content/content.h"

static int
write_buf(void *data, unsigned char *bytes, size_t size)
{
	buf_put(data, bytes, size);
	return 1;
}

/*
 * Would a YAML reader take this plain scalar for something other than a
 * string (null, a boolean, a number, a date)? YAML 1.1's wider sets too,
 * since readers differ; such strings are double-quoted.
 */
static int
misread_plain(const char *s)
{
	static const char *const words[] = {
		"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", NULL
	};
	size_t	i;
	int	digits = 0;

	for (i = 0; words[i] != NULL; i++)
		if (strcasecmp(s, words[i]) == 0)
			return 1;
	if (strcasecmp(s, ".inf") == 0 || strcasecmp(s, "-.inf") == 0 ||
	    strcasecmp(s, "+.inf") == 0 || strcasecmp(s, ".nan") == 0)
		return 1;
	for (i = 0; s[i] != '\0'; i++) {
		if (isdigit((unsigned char)s[i]))
			digits = 1;
		else if (strchr("+-._:eExXoObB", s[i]) == NULL && !isxdigit((unsigned char)s[i]))
			return 0;
	}
	return digits;
}

static int
scalar(yaml_emitter_t *e, const char *s, int plain_ok)
{
	yaml_event_t		ev;
	yaml_scalar_style_t	style = YAML_ANY_SCALAR_STYLE;

	if (!plain_ok && misread_plain(s))
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s),
	    1, 1, style))
		return -1;
	return yaml_emitter_emit(e, &ev) ? 0 : -1;
}

static int
event(yaml_emitter_t *e, int (*init)(yaml_event_t *))
{
	yaml_event_t	ev;

	if (!init(&ev))
		return -1;
	return yaml_emitter_emit(e, &ev) ? 0 : -1;
}

static int
map_start(yaml_event_t *ev)
{
	return yaml_mapping_start_event_initialize(ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
}

static int
seq_start(yaml_event_t *ev)
{
	return yaml_sequence_start_event_initialize(ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
}

static int
flow_seq_start(yaml_event_t *ev)
{
	return yaml_sequence_start_event_initialize(ev, NULL, NULL, 1, YAML_FLOW_SEQUENCE_STYLE);
}

/* key: [list of strings]; an empty list is written "[]" when always is set, else left out */
static int
string_list(yaml_emitter_t *e, const char *key, const char **items, size_t n, int always)
{
	size_t	i;

	if (n == 0 && !always)
		return 0;
	if (scalar(e, key, 1) == -1 ||
	    event(e, n == 0 ? flow_seq_start : seq_start) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (scalar(e, items[i], 0) == -1)
			return -1;
	return event(e, yaml_sequence_end_event_initialize);
}

static int
sources(yaml_emitter_t *e, const struct source *s, size_t n)
{
	size_t	i;

	if (scalar(e, "sources", 1) == -1 || event(e, n == 0 ? flow_seq_start : seq_start) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (event(e, map_start) == -1 ||
		    scalar(e, "name", 1) == -1 || scalar(e, s[i].name ? s[i].name : "", 0) == -1)
			return -1;
		if (s[i].url != NULL && (scalar(e, "url", 1) == -1 || scalar(e, s[i].url, 0) == -1))
			return -1;
		if (s[i].date != NULL && (scalar(e, "date", 1) == -1 ||
		    scalar(e, s[i].date, 1) == -1))
			return -1;
		if (event(e, yaml_mapping_end_event_initialize) == -1)
			return -1;
	}
	return event(e, yaml_sequence_end_event_initialize);
}

static int
stream_start(yaml_event_t *ev)
{
	return yaml_stream_start_event_initialize(ev, YAML_UTF8_ENCODING);
}

static int
doc_start(yaml_event_t *ev)
{
	return yaml_document_start_event_initialize(ev, NULL, NULL, NULL, 1);
}

static int
doc_end(yaml_event_t *ev)
{
	return yaml_document_end_event_initialize(ev, 1);
}

/*
 * Write "---\n", the front matter, "---\n". Keys in the order of content.h;
 * tags and sources are always written ("[]" when empty) because readers
 * of imported articles expect them; the others are left out when empty.
 * Plain style where YAML reads the text back unchanged, quotes otherwise
 * (libyaml quotes ": ", " #", leading indicators; we quote what would
 * read as null, a boolean or a number). Lines are never folded.
 */
int
frontmatter_emit(struct buf *out, const struct article *a)
{
	yaml_emitter_t	 e;
	struct buf	 y;
	char		 date[16];
	int		 rc = -1;
	size_t		 len;

	buf_init(&y);
	if (!yaml_emitter_initialize(&e)) {
		buf_free(&y);
		return diag(a->path, 0, "cannot start the YAML emitter");
	}
	yaml_emitter_set_output(&e, write_buf, &y);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_width(&e, -1);
	yaml_emitter_set_indent(&e, 2);
	if (a->date_str != NULL)
		snprintf(date, sizeof(date), "%s", a->date_str);
	else
		snprintf(date, sizeof(date), "%04d-%02d-%02d", a->year, a->month, a->day);
	if (event(&e, stream_start) == -1 || event(&e, doc_start) == -1 ||
	    event(&e, map_start) == -1)
		goto out;
	if (scalar(&e, "title", 1) == -1 || scalar(&e, a->title ? a->title : "", 0) == -1 ||
	    scalar(&e, "date", 1) == -1 || scalar(&e, date, 1) == -1)
		goto out;
	if (string_list(&e, "tags", a->tags, a->ntags, 1) == -1 ||
	    sources(&e, a->sources, a->nsources) == -1 ||
	    string_list(&e, "authors", a->authors, a->nauthors, 0) == -1)
		goto out;
	if (a->headline != NULL && a->headline[0] != '\0' &&
	    (a->title == NULL || strcmp(a->headline, a->title) != 0) &&
	    (scalar(&e, "headline", 1) == -1 || scalar(&e, a->headline, 0) == -1))
		goto out;
	if (string_list(&e, "imported_from", a->imported_from, a->nimported, 0) == -1)
		goto out;
	if (a->slug_given != NULL &&
	    (scalar(&e, "slug", 1) == -1 || scalar(&e, a->slug_given, 0) == -1))
		goto out;
	if (a->draft && (scalar(&e, "draft", 1) == -1 || scalar(&e, "true", 1) == -1))
		goto out;
	if (string_list(&e, "aliases", a->aliases, a->naliases, 0) == -1)
		goto out;
	if (event(&e, yaml_mapping_end_event_initialize) == -1 || event(&e, doc_end) == -1 ||
	    event(&e, yaml_stream_end_event_initialize) == -1 || !yaml_emitter_flush(&e))
		goto out;
	/* an open-ended document may get a "..." end marker; the closing "---" ends it */
	len = y.len;
	if (len >= 4 && memcmp(y.data + len - 4, "...\n", 4) == 0 &&
	    (len == 4 || y.data[len - 5] == '\n'))
		len -= 4;
	buf_puts(out, "---\n");
	buf_put(out, y.data, len);
	buf_puts(out, "---\n");
	rc = 0;
out:
	if (rc == -1)
		diag(a->path, 0, "cannot write the front matter: %s",
		    e.problem ? e.problem : "YAML emitter error");
	yaml_emitter_delete(&e);
	buf_free(&y);
	return rc;
}
