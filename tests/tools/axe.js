#!/usr/bin/env node
// axe.js LIST: axe-core on built pages, in headless Chromium, light and dark.
//
// LIST holds one page a line: "LABEL DIR PATH" (PATH relative to DIR, e.g.
// "tags/index.html"). Each DIR is served by a small static server of this
// script on 127.0.0.1 (a free port chosen by the kernel), so root-relative
// links and the stylesheet load as on a real host. One Chromium for all pages
// (Debian's /usr/bin/chromium through puppeteer-core, a fresh profile).
// For each page: axe-core (all rules but the experimental ones) in the light
// and the dark colour scheme (prefers-color-scheme), and a keyboard walk:
// Tab through the page; every link of a <nav> and every rel=prev/next link
// must receive focus. A meta refresh (redirect pages) is not followed, so the
// redirect page itself is checked.
// Prints "LABEL [scheme]: rule (impact): help -- target: summary" per
// finding; exits 1 when there is any, 2 when it cannot run.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');

const NPM = path.join(__dirname, '..', '.npm', 'node_modules');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TOTAL_MS = Number(process.env.AXE_TOTAL_MS || 150000);
const PAGE_MS = Number(process.env.AXE_PAGE_MS || 20000);

function die(msg) {
	console.log('axe.js: ' + msg);
	process.exit(2);
}

let puppeteer;
try {
	puppeteer = require(path.join(NPM, 'puppeteer-core'));
} catch (e) {
	die('puppeteer-core is not installed in tests/.npm (scripts/install-test-deps): ' + e.message);
}
const AXE = path.join(NPM, 'axe-core', 'axe.min.js');
if (!fs.existsSync(AXE)) die('axe-core is not installed: no ' + AXE);
if (!fs.existsSync(CHROMIUM)) die('no Chromium at ' + CHROMIUM + ' (apt-get install chromium)');
if (process.argv.length !== 3) die('usage: axe.js LIST');

const pages = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim())
	.map((l) => { const [label, dir, rel] = l.trim().split(/\s+/); return { label, dir, rel }; });

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.xml': 'application/xml',
	'.js': 'text/javascript', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
	'.woff2': 'font/woff2', '.ico': 'image/x-icon', '.json': 'application/json' };

// A static server of DIR: "/a/" is a/index.html; unknown paths get 404.html with status 404.
function serve(dir) {
	const root = fs.realpathSync(dir);
	const server = http.createServer((req, res) => {
		let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
		if (p.endsWith('/')) p += 'index.html';
		let file = path.join(root, p);
		let status = 200;
		if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
			file = path.join(root, '404.html');
			status = 404;
		}
		fs.readFile(file, (err, data) => {
			if (err) { res.writeHead(404); res.end(); return; }
			res.writeHead(status, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
			res.end(data);
		});
	});
	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(server));
	});
}

const findings = [];
function report(label, scheme, msg) {
	findings.push(label + (scheme ? ' [' + scheme + ']' : '') + ': ' + msg);
}

async function runAxe(page) {
	// let the new colour scheme reach the styles before axe reads them
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	return page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
}

// Tab through the page; returns the nav and pager links that never received focus.
async function keyboard(page) {
	const n = await page.evaluate(() => {
		const want = document.querySelectorAll('nav a[href], a[rel~="next"][href], a[rel~="prev"][href]');
		want.forEach((a, i) => a.setAttribute('data-axe-kb', String(i)));
		window.__kb = new Set();
		document.addEventListener('focusin', (e) => {
			const k = e.target && e.target.getAttribute && e.target.getAttribute('data-axe-kb');
			if (k !== null && k !== undefined) window.__kb.add(k);
		}, true);
		document.activeElement && document.activeElement.blur && document.activeElement.blur();
		return document.querySelectorAll('a[href], button, input, select, textarea, [tabindex], summary, details').length;
	});
	for (let i = 0; i < n + 5; i++)
		await page.keyboard.press('Tab');
	return page.evaluate(() => Array.from(document.querySelectorAll('[data-axe-kb]'))
		.filter((a) => !window.__kb.has(a.getAttribute('data-axe-kb')))
		.map((a) => (a.textContent.trim() || a.getAttribute('href')) + ' (' + a.getAttribute('href') + ')'));
}

async function main() {
	const servers = new Map();
	for (const p of pages) {
		if (!servers.has(p.dir)) servers.set(p.dir, await serve(p.dir));
	}
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-axe-'));
	let browser;
	const killer = setTimeout(() => {
		console.log('axe.js: gave up after ' + TOTAL_MS + ' ms');
		try { browser && browser.process() && browser.process().kill('SIGKILL'); } catch (e) { /* gone */ }
		fs.rmSync(profile, { recursive: true, force: true });
		process.exit(2);
	}, TOTAL_MS);
	try {
		browser = await puppeteer.launch({
			executablePath: CHROMIUM,
			headless: true,
			timeout: 60000,
			userDataDir: profile,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
				'--disable-background-networking', '--disable-component-update', '--disable-sync',
				'--user-data-dir=' + profile],
		});
		const page = await browser.newPage();
		page.setDefaultTimeout(PAGE_MS);
		await page.setViewport({ width: 1024, height: 768 });
		let target = null;
		let current = '';
		await page.setRequestInterception(true);
		page.on('request', (req) => {
			// stay on the page under test: a navigation elsewhere (a meta refresh) gets
			// "204 No Content", which leaves the current document in place
			if (req.isNavigationRequest() && req.frame() === page.mainFrame() && req.url() !== target) {
				req.respond({ status: 204, body: '' });
				return;
			}
			// and off the network
			const u = new URL(req.url());
			if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:') {
				req.abort();
				return;
			}
			req.continue();
		});
		page.on('pageerror', (e) => report(current, null, 'script error: ' + e.message));
		for (const p of pages) {
			current = p.label;
			const port = servers.get(p.dir).address().port;
			const rel = p.rel.replace(/(^|\/)index\.html$/, '$1');
			target = 'http://127.0.0.1:' + port + '/' + rel;
			try {
				await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
				const resp = await page.goto(target, { waitUntil: 'load', timeout: PAGE_MS });
				if (!resp || (resp.status() !== 200 && !(p.rel === '404.html' && resp.status() === 404)))
					report(p.label, null, 'HTTP ' + (resp ? resp.status() : 'no response') + ' for ' + p.rel);
				await page.addScriptTag({ path: AXE });
				for (const scheme of ['light', 'dark']) {
					await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
					const r = await runAxe(page);
					for (const v of r.violations) {
						for (const node of v.nodes.slice(0, 5)) {
							const why = (node.failureSummary || '').split('\n').slice(1, 2).join(' ').trim();
							report(p.label, scheme, v.id + ' (' + v.impact + '): ' + v.help + ' -- ' +
								node.target.join(' ') + (why ? ': ' + why : ''));
						}
						if (v.nodes.length > 5)
							report(p.label, scheme, v.id + ': ' + (v.nodes.length - 5) + ' more elements');
					}
				}
				if (page.url() !== target)
					report(p.label, null, 'the page was left for ' + page.url() + ' while checking');
				await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
				for (const miss of await keyboard(page))
					report(p.label, null, 'keyboard: Tab never reaches the link ' + miss);
			} catch (e) {
				report(p.label, null, 'could not check: ' + e.message.split('\n')[0]);
			}
		}
	} finally {
		clearTimeout(killer);
		if (browser) await browser.close().catch(() => {});
		for (const s of servers.values()) s.close();
		fs.rmSync(profile, { recursive: true, force: true });
	}
	for (const f of findings) console.log(f);
	console.error('axe.js: ' + pages.length + ' pages, light and dark, ' + findings.length + ' findings');
	process.exit(findings.length ? 1 : 0);
}

main().catch((e) => die(e.stack || String(e)));
