// `prover-mesh auction clear` run as a real child process: the JSON contract end to end.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const mainScript = fileURLToPath(new URL('../../node/cli/main.ts', import.meta.url))

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function runAuctionClear(stdin: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainScript, 'auction', 'clear'], { stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

const e6Request = {
  buyers: [
    { id: 'a', units: 2, price: '10' },
    { id: 'b', units: 3, price: 8 },
    { id: 'c', units: 3, price: '7' },
    { id: 'e', units: 5, price: '2' },
  ],
  sellers: [
    { id: 'x', units: 3, cost: '1' },
    { id: 'y', units: 3, cost: 2 },
    { id: 'z', units: 2, cost: '4' },
    { id: 'w', units: 10, cost: '9' },
  ],
  buyerFloor: '0',
  sellerCeiling: null,
}

describe('prover-mesh auction clear (child process)', () => {
  it('prints the E6 result of DARA.md as one JSON object and exits 0', async () => {
    const run = await runAuctionClear(JSON.stringify(e6Request))
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stderr, '')
    assert.equal(run.stdout.split('\n').length, 2, 'one line of output')
    assert.deepEqual(JSON.parse(run.stdout), {
      trade: true,
      buyerPrice: '7',
      sellerPrice: '4',
      units: 5,
      buyers: ['a', 'b'],
      sellers: ['x', 'y'],
      buyerPayments: { a: '14', b: '21', c: '0', e: '0' },
      sellerUnits: { w: 0, x: 3, y: 2, z: 0 },
      sellerPayments: { w: '0', x: '12', y: '8', z: '0' },
      assignment: [
        { buyer: 'a', seller: 'x', units: 2 },
        { buyer: 'b', seller: 'x', units: 1 },
        { buyer: 'b', seller: 'y', units: 2 },
      ],
      surplus: '15',
    })
    // Key order is part of the contract (maps in id order), which deepEqual does not check.
    assert.deepEqual(Object.keys(JSON.parse(run.stdout).sellerUnits), ['w', 'x', 'y', 'z'])
  })

  const invalid: [what: string, request: unknown, expected: RegExp][] = [
    ['a float price', { buyers: [{ id: 'b1', units: 1, price: 2.5 }], sellers: [] }, /buyer "b1".*price/],
    ['a negative cost', { buyers: [], sellers: [{ id: 's7', units: 1, cost: '-3' }] }, /seller "s7".*cost/],
    ['units below 1', { buyers: [{ id: 'b2', units: 0, price: '1' }], sellers: [] }, /buyer "b2".*units/],
    [
      'a duplicate id',
      {
        buyers: [],
        sellers: [
          { id: 'dup', units: 1, cost: '1' },
          { id: 'dup', units: 2, cost: '1' },
        ],
      },
      /seller "dup" \(sellers\[1\]\).*duplicate/,
    ],
    ['a missing price', { buyers: [{ id: 'b3', units: 1 }], sellers: [] }, /buyer "b3".*price is missing/],
    ['a bid without id', { buyers: [{ units: 1, price: '1' }], sellers: [] }, /buyers\[0\]: id is missing/],
  ]
  for (const [what, request, expected] of invalid) {
    it(`rejects ${what} with a one-line error naming the bid`, async () => {
      const run = await runAuctionClear(JSON.stringify(request))
      assert.notEqual(run.code, 0)
      assert.equal(run.stdout, '')
      assert.match(run.stderr, expected)
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr)
    })
  }

  it('rejects text that is not JSON', async () => {
    const run = await runAuctionClear('{"buyers": [')
    assert.notEqual(run.code, 0)
    assert.match(run.stderr, /not valid JSON/)
  })
})
