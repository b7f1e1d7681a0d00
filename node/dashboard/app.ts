// The dashboard page's script (bundled by esbuild, run in the browser; no framework): polls this
// node's HTTP API several times per epoch and draws the nodes, the mesh, the market per class, the
// tasks with their job trees, and the operators. Every string from the network is set as text
// (textContent, SVG text nodes), never parsed as HTML: peers choose their agent strings.

interface Status {
  peerId: string
  network: string
  roles: string[]
  listenAddrs: string[]
  connectedPeers: string[]
  tasks: { taskId: string; state: string; proofType: string; origin: string; gateway: string }[]
  meshSizes: Record<string, number>
  auction?: { epoch: number; pendingBids: number; counters: Record<string, number> }
  lifecycle?: { proverMode: string | null; evidence: { operator: string; kind: string }[] }
}
interface Peer {
  peerId: string
  roles: string[]
  agent: string
  addrs: string[]
  operator: string | null
}
interface Operator {
  operator: string
  peerId: string | null
  stake: string | null
}
interface Job {
  index: number
  resourceClass: string
  children: number[]
  parent: number | null
  state: string
  operator: string | null
  epoch: number | null
}
interface TaskJobs {
  taskId: string
  proofType: string
  root: number
  jobs: Job[]
}
interface Seal {
  epoch: number
  resourceClass: string
  leader: string
  countedBids: number
  trade: boolean
  buyerPrice: string | null
  sellerPrice: string | null
  units: number
  assignment: { taskId: string; jobIndex: number; operator: string; units: number }[]
}
interface Ledger {
  operators: Record<string, { units: number; earned: string }>
}
interface Fault {
  operator: string
  code: string
}

const SVG_NS = 'http://www.w3.org/2000/svg'
const COLORS = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#db2777', '#0891b2']
const JOB_COLORS: Record<string, string> = {
  waiting: '#d0d5dd',
  open: '#fdb022',
  assigned: '#2e90fa',
  proven: '#12b76a',
}

type Child = Node | string
function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v)
  for (const c of children) e.append(c)
  return e
}
function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const e = document.createElementNS(SVG_NS, tag)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v))
  for (const c of children) e.append(c)
  return e
}
function table(head: string[], rows: Child[][], attrs: Record<string, string> = {}): HTMLElement {
  return el(
    'table',
    attrs,
    el('tr', {}, ...head.map((h) => el('th', {}, h))),
    ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c)))),
  )
}
const short = (id: string, n = 10) => (id.length > n + 4 ? `${id.slice(0, 4)}…${id.slice(-n)}` : id)
const mono = (text: string, title = text) => el('span', { class: 'mono', title }, text)

async function get<T>(path: string, fallback: T): Promise<T> {
  const response = await fetch(path, { cache: 'no-store' })
  if (response.status === 404) return fallback
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
  return (await response.json()) as T
}
async function history(): Promise<Seal[]> {
  const response = await fetch('/market/history?format=jsonl&limit=200', { cache: 'no-store' })
  if (response.status === 404) return []
  if (!response.ok) throw new Error(`/market/history: HTTP ${response.status}`)
  const text = await response.text()
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Seal)
}

function nodesSection(status: Status, peers: Peer[], operators: Operator[]): HTMLElement {
  const operatorOf = new Map(operators.filter((o) => o.peerId).map((o) => [o.peerId!, o.operator]))
  const rows: Child[][] = [
    [
      mono(short(status.peerId), status.peerId),
      `${status.roles.join(', ') || '(network only)'} · this node`,
      operatorOf.get(status.peerId) ?? '',
      status.listenAddrs[0] ?? '',
    ],
    ...peers.map((p) => [
      mono(short(p.peerId), p.peerId),
      p.roles.join(', ') || el('span', { class: 'muted' }, p.agent || '(not identified)'),
      p.operator ?? operatorOf.get(p.peerId) ?? '',
      p.addrs[0] ?? '',
    ]),
  ]
  const t = table(['peer', 'roles', 'operator', 'address'], rows, { id: 'nodes' })
  // Each row names its full peer id for tests and for copying.
  const trs = t.querySelectorAll('tr')
  ;[status.peerId, ...peers.map((p) => p.peerId)].forEach((id, i) =>
    trs[i + 1]?.setAttribute('data-peer', id),
  )
  return el('section', {}, el('h2', {}, `Nodes and peers (${peers.length + 1})`), t)
}

function meshSection(status: Status, peers: Peer[]): HTMLElement {
  const size = 260
  const c = size / 2
  const r = size / 2 - 40
  const drawing = svg('svg', { width: size, height: size, viewBox: `0 0 ${size} ${size}`, id: 'mesh' })
  peers.forEach((p, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, peers.length) - Math.PI / 2
    const x = c + r * Math.cos(a)
    const y = c + r * Math.sin(a)
    drawing.append(svg('line', { x1: c, y1: c, x2: x, y2: y, stroke: '#98a2b3' }))
    const color = p.roles.includes('gateway') ? COLORS[1]! : COLORS[0]!
    drawing.append(svg('circle', { cx: x, cy: y, r: 9, fill: color }, svg('title', {}, p.peerId)))
    drawing.append(svg('text', { x, y: y + 22, 'text-anchor': 'middle' }, short(p.peerId, 4)))
  })
  drawing.append(svg('circle', { cx: c, cy: c, r: 12, fill: '#101828' }, svg('title', {}, status.peerId)))
  drawing.append(svg('text', { x: c, y: c + 26, 'text-anchor': 'middle' }, 'this node'))
  const topics = Object.entries(status.meshSizes).map(([topic, n]) => [
    mono(topic.split('/').slice(-2, -1)[0] ?? topic, topic),
    String(n),
  ])
  return el(
    'section',
    {},
    el('h2', {}, 'Mesh'),
    el('div', { class: 'grid' }, drawing, table(['gossip topic', 'mesh peers'], topics)),
  )
}

/** A line chart of clearing prices (buyer price, solid; seller price, dashed) per class over epochs. */
function priceChart(seals: Seal[], classes: string[]): SVGElement {
  const w = 560
  const h = 180
  const pad = 36
  const traded = seals.filter((s) => s.trade && s.buyerPrice !== null)
  const chart = svg('svg', { width: w, height: h, viewBox: `0 0 ${w} ${h}`, id: 'price-chart' })
  chart.append(svg('rect', { x: 0, y: 0, width: w, height: h, fill: '#fff', stroke: '#e3e6ea' }))
  if (traded.length === 0) {
    chart.append(svg('text', { x: w / 2, y: h / 2, 'text-anchor': 'middle' }, 'no trades yet'))
    return chart
  }
  const epochs = traded.map((s) => s.epoch)
  const lo = Math.min(...epochs)
  const hi = Math.max(lo + 1, ...epochs)
  const prices = traded.flatMap((s) => [Number(s.buyerPrice), Number(s.sellerPrice ?? s.buyerPrice)])
  const top = Math.max(1, ...prices)
  const x = (e: number) => pad + ((e - lo) / (hi - lo)) * (w - 2 * pad)
  const y = (p: number) => h - pad + 8 - (p / top) * (h - 2 * pad)
  chart.append(svg('text', { x: 4, y: y(top) + 4 }, String(top)))
  chart.append(svg('text', { x: 4, y: y(0) + 4 }, '0'))
  chart.append(svg('text', { x: pad, y: h - 6 }, `epoch ${lo}`))
  chart.append(svg('text', { x: w - pad, y: h - 6, 'text-anchor': 'end' }, `epoch ${hi}`))
  classes.forEach((cls, i) => {
    const mine = traded.filter((s) => s.resourceClass === cls)
    if (mine.length === 0) return
    const color = COLORS[i % COLORS.length]!
    const line = (pick: (s: Seal) => string | null, dash: string) =>
      svg('polyline', {
        points: mine.map((s) => `${x(s.epoch)},${y(Number(pick(s) ?? 0))}`).join(' '),
        fill: 'none',
        stroke: color,
        'stroke-width': 2,
        'stroke-dasharray': dash,
      })
    chart.append(
      line((s) => s.buyerPrice, ''),
      line((s) => s.sellerPrice, '4 3'),
    )
    for (const s of mine)
      chart.append(svg('circle', { cx: x(s.epoch), cy: y(Number(s.buyerPrice)), r: 2.5, fill: color }))
    chart.append(svg('text', { x: w - pad - 120, y: 16 + 14 * i, fill: color }, cls))
  })
  return chart
}

function marketSection(status: Status, seals: Seal[]): HTMLElement {
  const classes = [...new Set(seals.map((s) => s.resourceClass))].sort()
  const section = el(
    'section',
    {},
    el(
      'h2',
      {},
      `Market · epoch ${status.auction?.epoch ?? '–'} · pending bids ${status.auction?.pendingBids ?? '–'}`,
    ),
    el('div', { class: 'muted' }, 'clearing prices per class (solid: buyer price, dashed: seller price)'),
    priceChart(seals, classes),
  )
  for (const cls of classes) {
    const recent = seals
      .filter((s) => s.resourceClass === cls)
      .slice(-8)
      .reverse()
    const rows = recent.map((s) => [
      String(s.epoch),
      mono(short(s.leader, 6), s.leader),
      String(s.countedBids),
      s.trade ? `${s.buyerPrice} / ${s.sellerPrice}` : 'no trade',
      String(s.units),
      s.assignment.map((a) => `${short(a.taskId, 4)}#${a.jobIndex}→${short(a.operator, 4)}`).join(' ') || '–',
    ])
    section.append(
      el('h3', {}, cls),
      table(['epoch', 'leader', 'counted bids', 'buyer / seller price', 'units', 'assignment'], rows, {
        'data-class': cls,
      }),
    )
  }
  if (classes.length === 0) section.append(el('div', { class: 'muted' }, 'no seal accepted yet'))
  return section
}

/** A task's job tree: leaves on the bottom row, each aggregation above its children. */
function jobTree(run: TaskJobs): SVGElement {
  const byIndex = new Map(run.jobs.map((j) => [j.index, j]))
  const depth = new Map<number, number>()
  const depthOf = (i: number): number => {
    const known = depth.get(i)
    if (known !== undefined) return known
    const job = byIndex.get(i)
    const d = job === undefined || job.children.length === 0 ? 0 : 1 + Math.max(...job.children.map(depthOf))
    depth.set(i, d)
    return d
  }
  const xs = new Map<number, number>()
  const leaves = run.jobs.filter((j) => j.children.length === 0)
  const step = 26
  leaves.forEach((j, i) => xs.set(j.index, 16 + i * step))
  const xOf = (i: number): number => {
    const known = xs.get(i)
    if (known !== undefined) return known
    const kids = byIndex.get(i)?.children ?? []
    const x = kids.length === 0 ? 16 : kids.map(xOf).reduce((a, b) => a + b, 0) / kids.length
    xs.set(i, x)
    return x
  }
  const levels = depthOf(run.root) + 1
  const w = Math.max(60, 32 + (leaves.length - 1) * step)
  const h = 16 + levels * 30
  const yOf = (i: number) => h - 16 - depthOf(i) * 30
  const drawing = svg('svg', { width: w, height: h, viewBox: `0 0 ${w} ${h}`, class: 'job-tree' })
  for (const j of run.jobs)
    for (const c of j.children)
      drawing.append(
        svg('line', { x1: xOf(j.index), y1: yOf(j.index), x2: xOf(c), y2: yOf(c), stroke: '#98a2b3' }),
      )
  for (const j of run.jobs) {
    const tip = `job ${j.index} (${j.resourceClass}): ${j.state}${j.operator ? ` by ${j.operator}` : ''}${
      j.epoch !== null ? `, epoch ${j.epoch}` : ''
    }`
    drawing.append(
      svg(
        'circle',
        { cx: xOf(j.index), cy: yOf(j.index), r: 8, fill: JOB_COLORS[j.state] ?? '#667085' },
        svg('title', {}, tip),
      ),
    )
  }
  return drawing
}

function tasksSection(status: Status, runs: TaskJobs[]): HTMLElement {
  const runOf = new Map(runs.map((r) => [r.taskId, r]))
  const rows = status.tasks.slice(-24).map((t) => {
    const run = runOf.get(t.taskId)
    const proven = run?.jobs.filter((j) => j.state === 'proven').length ?? 0
    return [
      mono(short(t.taskId), t.taskId),
      t.proofType,
      el('span', { class: `state-${t.state}`, 'data-task-state': t.state }, t.state),
      run
        ? `${proven}/${run.jobs.length} jobs proven`
        : t.origin === 'submitted'
          ? ''
          : `gateway ${short(t.gateway, 4)}`,
      run ? jobTree(run) : '',
    ]
  })
  const t = table(['task', 'type', 'state', 'progress', 'job tree'], rows, { id: 'tasks' })
  const trs = t.querySelectorAll('tr')
  status.tasks.slice(-24).forEach((task, i) => trs[i + 1]?.setAttribute('data-task', task.taskId))
  const legend = Object.entries(JOB_COLORS).map(([state, color]) =>
    el('span', { style: `color:${color}` }, `● ${state}  `),
  )
  return el('section', {}, el('h2', {}, `Tasks (${status.tasks.length})`), el('div', {}, ...legend), t)
}

function operatorsSection(
  status: Status,
  operators: Operator[],
  ledger: Ledger,
  faults: Fault[],
): HTMLElement {
  const faultCount = new Map<string, number>()
  const count = (op: string) => faultCount.set(op.toLowerCase(), (faultCount.get(op.toLowerCase()) ?? 0) + 1)
  for (const f of faults) count(f.operator)
  for (const f of status.lifecycle?.evidence ?? []) count(f.operator)
  const earnings = new Map(Object.entries(ledger.operators).map(([op, e]) => [op.toLowerCase(), e]))
  const rows = operators.map((o) => {
    const e = earnings.get(o.operator.toLowerCase())
    return [
      mono(o.operator),
      o.peerId ? mono(short(o.peerId), o.peerId) : el('span', { class: 'muted' }, 'unbound'),
      o.stake ?? '–',
      e ? `${e.earned} (${e.units} units)` : '0',
      String(faultCount.get(o.operator.toLowerCase()) ?? 0),
    ]
  })
  return el(
    'section',
    {},
    el('h2', {}, `Operators (${operators.length})`),
    table(['operator', 'peer', 'stake', 'earned (this gateway)', 'faults'], rows, { id: 'operators' }),
  )
}

async function refresh(root: HTMLElement): Promise<void> {
  const [status, peers, operators, runs, seals, ledger, faults] = await Promise.all([
    get<Status>('/status', undefined as unknown as Status),
    get<Peer[]>('/peers', []),
    get<Operator[]>('/operators', []),
    get<TaskJobs[]>('/jobs', []),
    history(),
    get<Ledger>('/ledger', { operators: {} }),
    get<Fault[]>('/faults', []),
  ])
  document.getElementById('network')!.textContent = `· network ${status.network}`
  const mode = status.lifecycle?.proverMode
  root.replaceChildren(
    ...(mode?.startsWith('sim') ? [el('p', { class: 'state-failed' }, `prover mode: ${mode}`)] : []),
    nodesSection(status, peers, operators),
    meshSection(status, peers),
    marketSection(status, seals),
    tasksSection(status, runs),
    operatorsSection(status, operators, ledger, faults),
  )
}

function start(): void {
  const root = document.getElementById('root')!
  const updated = document.getElementById('updated')!
  const epochMs = Number(document.querySelector('meta[name="prover-mesh-epoch-ms"]')?.getAttribute('content'))
  // Several polls per epoch, so what a seal changes shows within the epoch; at most one in flight.
  const everyMs = Math.min(2000, Math.max(250, Math.floor((Number.isFinite(epochMs) ? epochMs : 2000) / 3)))
  let polls = 0
  const tick = () => {
    refresh(root)
      .then(() => {
        polls++
        updated.textContent = `updated ${new Date().toLocaleTimeString()} · every ${everyMs} ms`
        document.body.setAttribute('data-polls', String(polls))
      })
      .catch((error: unknown) => {
        updated.textContent = `update failed: ${(error as Error).message} (retrying)`
      })
      .finally(() => setTimeout(tick, everyMs))
  }
  tick()
}

start()
