// Part of `npm install`: bundles the dashboard page's script (node/dashboard/app.ts) with esbuild into
// node/dashboard/dist/app.js, which a node serves at /dashboard/app.js when esbuild itself is not
// installed (an install without dev dependencies). Plain JavaScript, like the other install steps.
import { fileURLToPath } from 'node:url'

let esbuild
try {
  esbuild = await import('esbuild')
} catch {
  console.log('prover-mesh: esbuild is not installed; the dashboard script is not rebuilt')
  process.exit(0)
}
const entry = fileURLToPath(new URL('../node/dashboard/app.ts', import.meta.url))
const outfile = fileURLToPath(new URL('../node/dashboard/dist/app.js', import.meta.url))
// The same options as node/api/dashboard-assets.ts (DASHBOARD_BUILD) uses in a development checkout.
await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  outfile,
})
console.log(`prover-mesh: dashboard script built into ${outfile}`)
