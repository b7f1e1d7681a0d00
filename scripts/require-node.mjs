// Fails in one line when the Node running npm's scripts is too old for the project. Plain
// JavaScript so it runs on any Node. `npm install` normally puts Node 22 first on the PATH of npm
// scripts (the node-linux-* optional dependency), so this only fires where that did not install.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `prover-mesh needs Node >= 22.18 (npm scripts run ${process.version}): run \`npm install\` (it fetches Node 22 for this platform) or install Node 22`,
  )
  process.exit(1)
}
