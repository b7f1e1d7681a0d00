// The dashboard's two assets: the HTML page (made here, with the node's epoch length, so the page
// polls often enough to change within an epoch) and the script, bundled by esbuild from
// node/dashboard/app.ts. Where esbuild is installed (a development checkout) the script is bundled
// from source on first request, so it is never stale; elsewhere `npm install` built it into
// node/dashboard/dist/app.js (scripts/build-dashboard.mjs).
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

export const DASHBOARD_ENTRY = fileURLToPath(new URL('../dashboard/app.ts', import.meta.url))
export const DASHBOARD_BUILT = fileURLToPath(new URL('../dashboard/dist/app.js', import.meta.url))

/** The esbuild options of the dashboard bundle: one ES module for current browsers, no framework. */
export const DASHBOARD_BUILD: import('esbuild').BuildOptions = {
  entryPoints: [DASHBOARD_ENTRY],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
}

export type DashboardAsset = { ok: true; code: string } | { ok: false; error: string }

let cached: Promise<DashboardAsset> | undefined

async function load(): Promise<DashboardAsset> {
  let esbuild: typeof import('esbuild') | undefined
  try {
    esbuild = await import('esbuild')
  } catch {
    esbuild = undefined
  }
  if (esbuild !== undefined) {
    const result = await esbuild.build({ ...DASHBOARD_BUILD, write: false })
    return { ok: true, code: result.outputFiles?.[0]?.text ?? '' }
  }
  try {
    return { ok: true, code: await readFile(DASHBOARD_BUILT, 'utf8') }
  } catch {
    return {
      ok: false,
      error: `the dashboard script is not built (${DASHBOARD_BUILT}): run npm run build:dashboard`,
    }
  }
}

/** The dashboard script, built once per process. */
export function dashboardAsset(): Promise<DashboardAsset> {
  cached ??= load()
  // A failed build is tried again on the next request.
  cached.then((a) => (a.ok ? undefined : (cached = undefined))).catch(() => (cached = undefined))
  return cached
}

export function dashboardHtml(epochMs: number): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="prover-mesh-epoch-ms" content="${epochMs}">
<title>prover-mesh dashboard</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 0 1.5em 2em; color: #1d2330; background: #fafbfc; }
h1 { font-size: 18px; margin: 0.8em 0 0.2em; } h2 { font-size: 15px; margin: 1.2em 0 0.4em; }
table { border-collapse: collapse; margin-bottom: 0.5em; } td, th { padding: 2px 8px; border-bottom: 1px solid #e3e6ea; text-align: left; }
th { font-weight: 600; background: #f0f2f5; } code, .mono { font-family: ui-monospace, monospace; font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 2em; }
.state-done, .job-proven { color: #17803d; } .state-failed, .state-expired { color: #b42318; }
.muted { color: #667085; } svg text { font: 11px system-ui, sans-serif; }
</style>
</head>
<body>
<h1>prover-mesh <span id="network" class="muted"></span></h1>
<div id="updated" class="muted">loading…</div>
<div id="root"></div>
<script type="module" src="/dashboard/app.js"></script>
</body>
</html>
`
}
