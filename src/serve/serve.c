/* serve.c: `folio serve`: build into a private folder, serve it over HTTP,
 * rebuild when a source changes, and tell open pages to reload.
 *
 * The main thread owns the builds and the inotify watch; libmicrohttpd
 * answers requests on its own threads (one per connection, so that an
 * event stream may block). Between the two sits one mutex-guarded state:
 * the build generation and, after a failed build, its messages. A failed
 * build leaves the last good site in place (output.c swaps folders only on
 * success), so pages keep being served, with the errors laid over them.
 * Only HTML responses are touched (the reload script, the overlay); the
 * built files never are.
 */
#define _GNU_SOURCE
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "folio.h"
#include "build.h"
#include "content/content.h"
#include "serve/serve.h"
#include "tools/tools.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsutil.h"

#define DEBOUNCE_MS		150
#define DEBOUNCE_MAX_MS		2000	/* rebuild even if saves never stop */
#define HEARTBEAT_S		15
#define ERRORS_MAX		(64 * 1024)
#define HTML_MAX		(64u * 1024 * 1024)
#define EVENTS_PATH		"/__folio/events"

struct server {
	pthread_mutex_t	 lock;
	pthread_cond_t	 changed;
	unsigned long	 gen;		/* bumped after every build, good or bad */
	int		 failed;	/* the last build failed */
	char		*errors;	/* its messages, heap, or NULL */
	int		 stopping;
	char		*root;		/* the output folder as given */
	char		*real;		/* realpath of root, or NULL before the first good build */
};

static const char reload_script[] =
"<script>/* folio serve: reload on rebuild */(function(){"
"if(!window.EventSource)return;var s=new EventSource('" EVENTS_PATH "');"
"s.addEventListener('reload',function(){s.close();location.reload();});})();</script>\n";

/* --- content types --- */

static const struct {
	const char	*ext;
	const char	*type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".htm", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json" },
	{ "atom.xml", "application/atom+xml; charset=utf-8" },
	{ ".atom", "application/atom+xml; charset=utf-8" },
	{ ".rss", "application/rss+xml; charset=utf-8" },
	{ ".xml", "application/xml; charset=utf-8" },
	{ ".xsl", "application/xml; charset=utf-8" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".md", "text/markdown; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".avif", "image/avif" },
	{ ".ico", "image/x-icon" },
	{ ".woff", "font/woff" },
	{ ".woff2", "font/woff2" },
	{ ".ttf", "font/ttf" },
	{ ".otf", "font/otf" },
	{ ".pdf", "application/pdf" },
	{ ".mp3", "audio/mpeg" },
	{ ".ogg", "audio/ogg" },
	{ ".mp4", "video/mp4" },
	{ ".webm", "video/webm" },
	{ ".wasm", "application/wasm" },
	{ ".gz", "application/gzip" },
	{ ".zip", "application/zip" },
};

static const char *
content_type(const char *path)
{
	size_t	i, len = strlen(path), el;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		el = strlen(types[i].ext);
		if (len >= el && strcasecmp(path + len - el, types[i].ext) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

static int
is_html(const char *type)
{
	return strncmp(type, "text/html", 9) == 0;
}

/* --- responses --- */

static enum MHD_Result
queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r, const char *type)
{
	enum MHD_Result	rc;

	if (r == NULL)
		return MHD_NO;
	if (type)
		mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
	rc = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return rc;
}

static enum MHD_Result
text_reply(struct MHD_Connection *c, unsigned status, const char *msg)
{
	return queue(c, status, mhd.create_response_from_buffer(strlen(msg), (void *)msg,
	    MHD_RESPMEM_MUST_COPY), "text/plain; charset=utf-8");
}

/* The overlay that shows a failed build's messages over the last good page. */
static void
put_overlay(struct buf *b, const char *errors)
{
	buf_puts(b, "<div id=\"folio-overlay\" role=\"alert\" style=\"position:fixed;inset:0;"
	    "z-index:2147483647;overflow:auto;margin:0;padding:2em;background:rgba(40,0,0,.94);"
	    "color:#fff;font:14px/1.5 monospace;text-align:left\">"
	    "<h2 style=\"margin-top:0;color:#ff8080\">folio: the build failed</h2><pre "
	    "style=\"white-space:pre-wrap\">");
	buf_put_escaped(b, errors, strlen(errors));
	buf_puts(b, "</pre><p>This is the last good build underneath. Fix the file and save: "
	    "the page reloads by itself.</p></div>\n");
}

/* Find the last "</body>" (any case); len if there is none. */
static size_t
body_end(const char *s, size_t len)
{
	size_t	i;

	for (i = len; i >= 7; i--)
		if (s[i - 7] == '<' && strncasecmp(s + i - 7, "</body>", 7) == 0)
			return i - 7;
	return len;
}

/* An HTML page with the reload script and, after a failed build, the overlay. */
static enum MHD_Result
html_reply(struct server *s, struct MHD_Connection *c, unsigned status, const char *html,
    size_t len)
{
	struct buf	 b;
	char		*errors = NULL;
	size_t		 at = body_end(html, len);
	enum MHD_Result	 rc;

	pthread_mutex_lock(&s->lock);
	if (s->failed && s->errors)
		errors = xstrdup(s->errors);
	pthread_mutex_unlock(&s->lock);
	buf_init(&b);
	buf_put(&b, html, at);
	if (errors)
		put_overlay(&b, errors);
	buf_puts(&b, reload_script);
	buf_put(&b, html + at, len - at);
	rc = queue(c, status, mhd.create_response_from_buffer(b.len, b.data,
	    MHD_RESPMEM_MUST_COPY), "text/html; charset=utf-8");
	buf_free(&b);
	free(errors);
	return rc;
}

static enum MHD_Result
html_fd_reply(struct server *s, struct MHD_Connection *c, unsigned status, int fd, size_t size)
{
	char		*html;
	size_t		 off = 0;
	ssize_t		 r;
	enum MHD_Result	 rc;

	if (size > HTML_MAX) {
		close(fd);
		return text_reply(c, 500, "page too large\n");
	}
	html = xmalloc(size + 1);
	while (off < size && (r = read(fd, html + off, size - off)) > 0)
		off += (size_t)r;
	close(fd);
	rc = html_reply(s, c, status, html, off);
	free(html);
	return rc;
}

/* --- the event stream: one blocked reader per open page --- */

struct stream {
	struct server	*s;
	unsigned long	 seen;
	int		 hello;
};

static ssize_t
stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream	*st = cls;
	struct server	*s = st->s;
	struct timespec	 until;
	int		 n;

	(void)pos;
	if (!st->hello) {
		st->hello = 1;
		n = snprintf(out, max, "retry: 1000\nevent: hello\ndata: %lu\n\n", st->seen);
		return n < 0 || (size_t)n >= max ? MHD_CONTENT_READER_END_WITH_ERROR : n;
	}
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += HEARTBEAT_S;
	pthread_mutex_lock(&s->lock);
	while (!s->stopping && s->gen == st->seen)
		if (pthread_cond_timedwait(&s->changed, &s->lock, &until) != 0)
			break;
	if (s->stopping) {
		pthread_mutex_unlock(&s->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (s->gen != st->seen) {
		st->seen = s->gen;
		n = snprintf(out, max, "event: reload\ndata: %lu %s\n\n", st->seen,
		    s->failed ? "failed" : "ok");
	} else
		n = snprintf(out, max, ": heartbeat\n\n");
	pthread_mutex_unlock(&s->lock);
	return n < 0 || (size_t)n >= max ? MHD_CONTENT_READER_END_WITH_ERROR : n;
}

static void
stream_free(void *cls)
{
	free(cls);
}

static enum MHD_Result
events_reply(struct server *s, struct MHD_Connection *c)
{
	struct stream		*st = xcalloc(1, sizeof(*st));
	struct MHD_Response	*r;

	st->s = s;
	pthread_mutex_lock(&s->lock);
	st->seen = s->gen;
	pthread_mutex_unlock(&s->lock);
	r = mhd.create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, stream_read, st, stream_free);
	if (r == NULL) {
		free(st);
		return MHD_NO;
	}
	return queue(c, MHD_HTTP_OK, r, "text/event-stream");
}

/* --- files --- */

/* A url path is served only if no segment is "." or ".." (after MHD's
 * percent-decoding, so "%2e%2e" counts) and it holds no NUL or backslash. */
static int
safe_path(const char *url)
{
	const char	*p = url, *e;
	size_t		 len;

	if (*url != '/')
		return 0;
	while (*p) {
		while (*p == '/')
			p++;
		e = strchr(p, '/');
		len = e ? (size_t)(e - p) : strlen(p);
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (memchr(p, '\\', len) != NULL)
			return 0;
		p += len;
	}
	return 1;
}

/* Open a file under the root; -1 with errno ENOENT, or EACCES when the real
 * path (symlinks resolved) lies outside the root. */
static int
open_under(const char *real_root, const char *path, struct stat *st)
{
	char	*rp;
	size_t	 rl = strlen(real_root);
	int	 fd;

	if ((rp = realpath(path, NULL)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (strncmp(rp, real_root, rl) != 0 || (rp[rl] != '/' && rp[rl] != '\0')) {
		free(rp);
		errno = EACCES;
		return -1;
	}
	fd = open(rp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(rp);
	if (fd == -1)
		return -1;
	if (fstat(fd, st) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static const char not_found_page[] =
"<!DOCTYPE html>\n<title>Not found</title>\n<body>\n<h1>Not found</h1>\n</body>\n";

static enum MHD_Result
not_found(struct server *s, struct MHD_Connection *c, const char *real_root)
{
	struct stat	 st;
	char		*p;
	int		 fd = -1;

	if (real_root) {
		p = path_join(real_root, "404.html");
		fd = open_under(real_root, p, &st);
		free(p);
	}
	if (fd != -1 && S_ISREG(st.st_mode))
		return html_fd_reply(s, c, MHD_HTTP_NOT_FOUND, fd, (size_t)st.st_size);
	if (fd != -1)
		close(fd);
	return html_reply(s, c, MHD_HTTP_NOT_FOUND, not_found_page, sizeof(not_found_page) - 1);
}

static enum MHD_Result
redirect(struct MHD_Connection *c, const char *url)
{
	struct MHD_Response	*r;
	char			*loc;

	r = mhd.create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	if (asprintf(&loc, "%s/", url) == -1) {
		mhd.destroy_response(r);
		return MHD_NO;
	}
	mhd.add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc);
	free(loc);
	return queue(c, MHD_HTTP_MOVED_PERMANENTLY, r, NULL);
}

static enum MHD_Result
file_reply(struct server *s, struct MHD_Connection *c, const char *url)
{
	struct stat	 st;
	char		*real_root = NULL, *path = NULL, *idx;
	const char	*type;
	enum MHD_Result	 rc;
	int		 fd;

	pthread_mutex_lock(&s->lock);
	if (s->real)
		real_root = xstrdup(s->real);
	pthread_mutex_unlock(&s->lock);
	if (real_root == NULL) {	/* no good build yet: only the messages */
		rc = not_found(s, c, NULL);
		goto out;
	}
	path = path_join(real_root, url);
	if ((fd = open_under(real_root, path, &st)) == -1) {
		rc = errno == EACCES ? text_reply(c, MHD_HTTP_FORBIDDEN, "forbidden\n") :
		    not_found(s, c, real_root);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		if (url[strlen(url) - 1] != '/') {
			rc = redirect(c, url);
			goto out;
		}
		idx = path_join(path, "index.html");
		free(path);
		path = idx;
		if ((fd = open_under(real_root, path, &st)) == -1) {
			rc = errno == EACCES ? text_reply(c, MHD_HTTP_FORBIDDEN, "forbidden\n") :
			    not_found(s, c, real_root);
			goto out;
		}
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		rc = not_found(s, c, real_root);
		goto out;
	}
	type = content_type(path);
	if (is_html(type))
		rc = html_fd_reply(s, c, MHD_HTTP_OK, fd, (size_t)st.st_size);
	else {
		struct MHD_Response *r = mhd.create_response_from_fd((uint64_t)st.st_size, fd);
		if (r == NULL)
			close(fd);
		rc = queue(c, MHD_HTTP_OK, r, type);
	}
out:
	free(real_root);
	free(path);
	return rc;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct server	*s = cls;

	(void)version;
	(void)upload;
	if (*state == NULL) {		/* headers only so far; answer on the next call */
		*state = (void *)1;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return text_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	if (!safe_path(url))
		return text_reply(c, MHD_HTTP_FORBIDDEN, "forbidden\n");
	if (strcmp(url, EVENTS_PATH) == 0)
		return events_reply(s, c);
	return file_reply(s, c, url);
}

/* --- building --- */

/* Build once with stderr going to a file, so the messages can be shown in
 * the browser; they are copied to the real stderr as well. */
static int
rebuild(struct server *s, const struct build_opts *o)
{
	FILE	*tmp;
	char	*text = NULL, *real = NULL;
	size_t	 len = 0;
	long	 end;
	int	 saved, rc;

	fflush(stderr);
	if ((tmp = tmpfile()) == NULL || (saved = dup(2)) == -1) {
		if (tmp)
			fclose(tmp);
		rc = build_site(o);
	} else {
		dup2(fileno(tmp), 2);
		rc = build_site(o);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		if (fseek(tmp, 0, SEEK_END) == 0 && (end = ftell(tmp)) > 0) {
			len = (size_t)end;
			text = xmalloc(len + 1);
			rewind(tmp);
			len = fread(text, 1, len, tmp);
			text[len] = '\0';
			fputs(text, stderr);
			if (len > ERRORS_MAX)
				text[ERRORS_MAX] = '\0';
		}
		fclose(tmp);
	}
	if (rc == 0 || s->real == NULL)	/* a failed first build may find an older site */
		real = realpath(s->root, NULL);
	pthread_mutex_lock(&s->lock);
	s->gen++;
	s->failed = rc != 0;
	free(s->errors);
	s->errors = rc != 0 ? (text ? text : xstrdup("the build failed\n")) : NULL;
	if (rc != 0)
		text = NULL;
	if (real) {
		free(s->real);
		s->real = real;
	}
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	free(text);
	return rc;
}

static int
watch_site(struct watch *w, const char *site_dir, const char *cfgpath)
{
	struct arena	*ar = arena_new();
	struct config	*cfg;
	char		*p;
	int		 rc = 0;
	const char	*themes_env = getenv("FOLIO_THEMES");

	rc |= watch_file(w, cfgpath);
	diag_quiet(1);			/* the build reports a bad config */
	cfg = config_load(ar, cfgpath);
	diag_quiet(0);
	p = cfg && cfg->content_dir[0] == '/' ? xstrdup(cfg->content_dir) :
	    path_join(site_dir, cfg ? cfg->content_dir : "content");
	rc |= watch_tree(w, p);
	free(p);
	p = path_join(site_dir, "layouts");
	rc |= watch_tree(w, p);
	free(p);
	p = path_join(site_dir, "static");
	rc |= watch_tree(w, p);
	free(p);
	p = path_join(site_dir, "themes");	/* the site's own themes */
	rc |= watch_tree(w, p);
	free(p);
	if (themes_env && *themes_env)
		rc |= watch_tree(w, themes_env);
	if (cfg) {				/* a theme found next to the binary */
		char *exe = realpath("/proc/self/exe", NULL), *slash;
		if (exe && (slash = strrchr(exe, '/')) != NULL) {
			char *t;
			*slash = '\0';
			t = path_join(exe, "themes");
			p = path_join(t, cfg->theme);
			rc |= watch_tree(w, p);
			free(p);
			free(t);
		}
		free(exe);
	}
	arena_free(ar);
	return rc;
}

static int
ms_since(const struct timespec *t0)
{
	struct timespec	t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* Wait for changes and signals; rebuild after DEBOUNCE_MS of quiet. Returns on a signal. */
static int
loop(struct server *s, struct watch *w, int sfd, const struct build_opts *o)
{
	struct pollfd		 pf[2];
	struct signalfd_siginfo	 si;
	struct timespec		 first;
	int			 pending = 0, n, timeout;

	pf[0].fd = sfd;
	pf[0].events = POLLIN;
	pf[1].fd = watch_fd(w);
	pf[1].events = POLLIN;
	for (;;) {
		timeout = -1;
		if (pending) {
			timeout = DEBOUNCE_MS;
			if (ms_since(&first) + timeout > DEBOUNCE_MAX_MS)
				timeout = DEBOUNCE_MAX_MS - ms_since(&first);
			if (timeout < 0)
				timeout = 0;
		}
		n = poll(pf, 2, timeout);
		if (n == -1 && errno != EINTR)
			return diag(NULL, 0, "poll: %s", strerror(errno));
		if (n > 0 && (pf[0].revents & POLLIN)) {
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				return 0;
		}
		if (n > 0 && (pf[1].revents & POLLIN)) {
			if (watch_read(w) == 1 && !pending) {
				pending = 1;
				clock_gettime(CLOCK_MONOTONIC, &first);
			}
			continue;
		}
		if (n == 0 && pending) {
			pending = 0;
			fprintf(stderr, "folio: change seen; rebuilding\n");
			(void)rebuild(s, o);	/* changes made meanwhile are still queued */
		}
	}
}

static const char serve_usage[] =
"usage: folio serve [options]\n"
"\n"
"  -p, --port N         the port (default: 1313)\n"
"  -b, --bind ADDR      the address to listen on (default: 127.0.0.1, loopback only)\n"
"  -C, --site DIR       the site folder (default: the current folder)\n"
"      --drafts         include articles with draft: true\n"
"  -h, --help           this help\n"
"\n"
"Builds into .folio-cache/serve-public, serves it, rebuilds on change and\n"
"reloads open pages; Ctrl-C stops.\n";

static int
is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return 0;
}

int
cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "site", required_argument, NULL, 'C' },
		{ "drafts", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct server		 s;
	struct build_opts	 o;
	struct addrinfo		 hints, *ai = NULL;
	struct MHD_Daemon	*d = NULL;
	struct watch		*w = NULL;
	sigset_t		 mask, old;
	const char		*bind_addr = "127.0.0.1", *site_dir = ".";
	char			*cache = NULL, *cfgpath = NULL, *base = NULL, *end;
	long			 port = 1313;
	int			 ch, sfd = -1, rc = 1, masked = 0;
	unsigned		 flags;

	memset(&s, 0, sizeof(s));
	memset(&o, 0, sizeof(o));
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.changed, NULL);
	o.relative = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:b:C:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || port < 1 || port > 65535) {
				fprintf(stderr, "folio serve: port '%s' is not a number from 1 to 65535\n",
				    optarg);
				rc = 2;
				goto out;
			}
			break;
		case 'b': bind_addr = optarg; break;
		case 'C': site_dir = optarg; break;
		case 'D': o.drafts = 1; break;
		case 'h': fputs(serve_usage, stdout); rc = 0; goto out;
		default: fputs(serve_usage, stderr); rc = 2; goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "folio serve: unexpected argument '%s'\n%s", argv[optind], serve_usage);
		rc = 2;
		goto out;
	}
	if (mhd_open() == -1)
		goto out;
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	{
		char	ps[16];
		snprintf(ps, sizeof(ps), "%ld", port);
		if (getaddrinfo(bind_addr, ps, &hints, &ai) != 0 || ai == NULL) {
			fprintf(stderr, "folio serve: --bind '%s' is not an IPv4 or IPv6 address\n",
			    bind_addr);
			rc = 2;
			goto out;
		}
	}
	if (!is_loopback(ai->ai_addr))
		fprintf(stderr, "folio: warning: listening on %s, not loopback: other machines can "
		    "read the site\n", bind_addr);

	cache = path_join(site_dir, ".folio-cache");
	s.root = path_join(cache, "serve-public");
	cfgpath = path_join(site_dir, "folio.yaml");
	if (mkdir_p(cache) == -1)
		goto out;
	if (asprintf(&base, is_loopback(ai->ai_addr) && ai->ai_family == AF_INET6 ?
	    "http://[%s]:%ld/" : "http://%s:%ld/",
	    is_loopback(ai->ai_addr) ? bind_addr : "localhost", port) == -1) {
		base = NULL;
		goto out;
	}
	o.site_dir = site_dir;
	o.output = s.root;
	o.base_url = base;
	o.serve_mode = 1;

	/* signals arrive on sfd only; the server's and the builds' threads inherit the mask */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	signal(SIGPIPE, SIG_IGN);
	if (pthread_sigmask(SIG_BLOCK, &mask, &old) != 0 ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC)) == -1) {
		fprintf(stderr, "folio serve: signalfd: %s\n", strerror(errno));
		goto out;
	}
	masked = 1;
	if ((w = watch_open()) == NULL || watch_site(w, site_dir, cfgpath) == -1)
		goto out;

	(void)rebuild(&s, &o);

	flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = mhd.start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, &s,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "folio serve: cannot listen on %s port %ld (in use?)\n", bind_addr, port);
		goto out;
	}
	fprintf(stderr, "folio: serving %s (Ctrl-C stops)\n", base);
	if (loop(&s, w, sfd, &o) == -1)
		goto out;
	rc = 0;
out:
	pthread_mutex_lock(&s.lock);
	s.stopping = 1;
	pthread_cond_broadcast(&s.changed);
	pthread_mutex_unlock(&s.lock);
	if (d) {
		mhd.stop_daemon(d);
		if (rc == 0)
			fprintf(stderr, "folio: stopped\n");
	}
	watch_close(w);
	if (sfd != -1)
		close(sfd);
	if (masked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ai)
		freeaddrinfo(ai);
	free(s.errors);
	free(s.real);
	free(s.root);
	free(cache);
	free(cfgpath);
	free(base);
	pthread_cond_destroy(&s.changed);
	pthread_mutex_destroy(&s.lock);
	return rc;
}
