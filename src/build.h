/* build.h: `folio build`, the pipeline from content/ to the output folder */
#ifndef BUILD_H
#define BUILD_H

struct build_opts {
	const char	*site_dir;	/* folder holding folio.yaml; "." by default */
	const char	*config_path;	/* NULL: <site_dir>/folio.yaml */
	const char	*output;	/* NULL: from the config */
	const char	*base_url;	/* NULL: from the config */
	int		 relative;	/* -1: from the config */
	int		 keep_going;
	int		 quiet;
	int		 jobs;		/* worker threads; 0: one per core */
	int		 no_cache;
	int		 force;		/* build even if nothing changed since the last build */
	int		 no_history;	/* as history: false */
	int		 drafts;
	int		 serve_mode;	/* inject the live-reload script */
};

/* Build the site; returns 0, or -1 after printing every error. */
int	build_site(const struct build_opts *);
int	cmd_build(int argc, char **argv);

#endif
