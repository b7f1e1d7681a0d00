// The stand-ins and the node's ABIs must speak exactly EigenLayer's interface: every selector and event
// topic is checked against the signatures recorded in shared notes/eigenlayer.md §1–2 (taken from
// Layr-Labs/eigenlayer-contracts v1.12.0 and cross-checked there against EigenLayer's Go bindings).
import assert from 'node:assert/strict'
import { toEventSelector, toFunctionSelector, type Abi, type AbiEvent, type AbiFunction } from 'viem'
import { formatAbiItem } from 'viem/utils'
import { allocationManagerAbi, delegationManagerAbi, strategyAbi } from '../../node/stake/abi.ts'
import { compileStandIns } from '../../node/chain/compile.ts'

const FUNCTIONS: Record<string, string> = {
  'isOperator(address)': '0x6d70f7ae',
  'delegatedTo(address)': '0x65da1264',
  'operatorShares(address,address)': '0x778e55f3',
  'getOperatorShares(address,address[])': '0x90041347',
  'getOperatorsShares(address[],address[])': '0xf0e0e676',
  'isMemberOfOperatorSet(address,(address,uint32))': '0x670d3ba2',
  'isOperatorSlashable(address,(address,uint32))': '0x1352c3e6',
  'isOperatorSet((address,uint32))': '0x260dc758',
  'getMembers((address,uint32))': '0x6e875dba',
  'getMemberCount((address,uint32))': '0xb2447af7',
  'getStrategiesInOperatorSet((address,uint32))': '0x4177a87c',
  'getMinimumSlashableStake((address,uint32),address[],address[],uint32)': '0x2bab2c4a',
  'getAllocatedStake((address,uint32),address[],address[])': '0x2b453a9a',
  'getAllocation(address,(address,uint32),address)': '0x10e1b9b8',
  'getMaxMagnitudes(address,address[])': '0x547afb87',
  'DEALLOCATION_DELAY()': '0x2981eb77',
  'sharesToUnderlyingView(uint256)': '0x7a8b2637',
  'underlyingToken()': '0x2495a599',
  'totalShares()': '0x3a98ef39',
  // Write flows our AVS and operators use (IAllocationManager / IDelegationManager /
  // IPermissionController / IAVSRegistrar v1.12.0). Cross-checked against public EigenLayer
  // bindings and scripts: registerForOperatorSets 0xadc2e3d9, slashOperator 0x36352057,
  // canCall 0xdf595cb8, addPendingAdmin 0xeb5a4e87, registerOperator 0xc63fd502, getAllocationDelay
  // 0xb9fbaed1; the others are hashed from the v1.12.0 declarations.
  'updateAVSMetadataURI(address,string)': '0xa9821821',
  'setAVSRegistrar(address,address)': '0xd3d96ff4',
  'getAVSRegistrar(address)': '0x304c10cd',
  'createOperatorSets(address,(uint32,address[],address)[])': '0x3dff8e7d',
  'addStrategiesToOperatorSet(address,uint32,address[])': '0x50feea20',
  'removeStrategiesFromOperatorSet(address,uint32,address[])': '0xb66bd989',
  'getSlasher((address,uint32))': '0xd4a3fcce',
  'registerForOperatorSets(address,(address,uint32[],bytes))': '0xadc2e3d9',
  'deregisterFromOperatorSets((address,address,uint32[]))': '0x6e3492b5',
  'setAllocationDelay(address,uint32)': '0x56c483e6',
  'getAllocationDelay(address)': '0xb9fbaed1',
  'modifyAllocations(address,((address,uint32),address[],uint64[])[])': '0x952899ee',
  'slashOperator(address,(address,uint32,address[],uint256[],string))': '0x36352057',
  'registerAsOperator(address,uint32,string)': '0x2aa6d888',
  'slashOperatorShares(address,(address,uint32),uint256,address,uint64,uint64)': '0x5ae679a7',
  'isAdmin(address,address)': '0x91006745',
  'addPendingAdmin(address,address)': '0xeb5a4e87',
  'acceptAdmin(address)': '0x628806ef',
  'setAppointee(address,address,address,bytes4)': '0x950d806e',
  'canCall(address,address,address,bytes4)': '0xdf595cb8',
  'registerOperator(address,address,uint32[],bytes)': '0xc63fd502',
  'deregisterOperator(address,address,uint32[])': '0x303ca956',
  'supportsAVS(address)': '0xb5265787',
}

const EVENTS: Record<string, string> = {
  'OperatorRegistered(address,address)': '0xa453db612af59e5521d6ab9284dc3e2d06af286eb1b1b7b771fce4716c19f2c1',
  'OperatorSharesIncreased(address,address,address,uint256)':
    '0x1ec042c965e2edd7107b51188ee0f383e22e76179041ab3a9d18ff151405166c',
  'OperatorSharesDecreased(address,address,address,uint256)':
    '0x6909600037b75d7b4733aedd815442b5ec018a827751c832aaff64eba5d6d2dd',
  'OperatorSharesSlashed(address,address,uint256)':
    '0xdd611f4ef63f4385f1756c86ce1f1f389a9013ba6fa07daba8528291bc2d3c30',
  'OperatorAddedToOperatorSet(address,(address,uint32))':
    '0x43232edf9071753d2321e5fa7e018363ee248e5f2142e6c08edd3265bfb4895e',
  'OperatorRemovedFromOperatorSet(address,(address,uint32))':
    '0xad34c3070be1dffbcaa499d000ba2b8d9848aefcac3059df245dd95c4ece14fe',
  'AllocationUpdated(address,(address,uint32),address,uint64,uint32)':
    '0x1487af5418c47ee5ea45ef4a93398668120890774a9e13487e61e9dc3baf76dd',
  'MaxMagnitudeUpdated(address,address,uint64)':
    '0x1c6458079a41077d003c11faf9bf097e693bd67979e4e6500bac7b29db779b5c',
  'OperatorSlashed(address,(address,uint32),address[],uint256[],string)':
    '0x80969ad29428d6797ee7aad084f9e4a42a82fc506dcd2ca3b6fb431f85ccebe5',
  'StrategyAddedToOperatorSet((address,uint32),address)':
    '0x7ab260fe0af193db5f4986770d831bda4ea46099dc817e8b6716dcae8af8e88b',
  'StrategyRemovedFromOperatorSet((address,uint32),address)':
    '0x7b4b073d80dcac55a11177d8459ad9f664ceeb91f71f27167bb14f8152a7eeee',
  'OperatorSetCreated((address,uint32))':
    '0x31629285ead2335ae0933f86ed2ae63321f7af77b4e6eaabc42c057880977e6c',
  'AVSMetadataURIUpdated(address,string)':
    '0xa89c1dc243d8908a96dd84944bcc97d6bc6ac00dd78e20621576be6a3c943713',
  'AVSRegistrarSet(address,address)': '0x2ae945c40c44dc0ec263f95609c3fdc6952e0aefa22d6374e44f2c997acedf85',
  'SlasherUpdated((address,uint32),address,uint32)':
    '0x3873f29d7a65a4d75f5ba28909172f486216a1420e77c3c2720815951a6b4f57',
  'AllocationDelaySet(address,uint32,uint32)':
    '0x4e85751d6331506c6c62335f207eb31f12a61e570f34f5c17640308785c6d4db',
  'PendingAdminAdded(address,address)': '0xb14b9a3d448c5b04f0e5b087b6f5193390db7955482a6ffb841e7b3ba61a460c',
  'AdminSet(address,address)': '0xbf265e8326285a2747e33e54d5945f7111f2b5edb826eb8c08d4677779b3ff97',
  'AppointeeSet(address,address,address,bytes4)':
    '0x037f03a2ad6b967df4a01779b6d2b4c85950df83925d9e31362b519422fc0169',
}

function signature(item: AbiFunction | AbiEvent): string {
  return formatAbiItem(item).replace(/^(function|event) /, '')
}

/** Checks every non-mock function and every event of an ABI against the reference tables. */
function checkAbi(name: string, abi: Abi, options: { allowExtra?: RegExp } = {}): number {
  let checked = 0
  for (const item of abi) {
    if (item.type === 'function') {
      const sig = signature(item)
      if (options.allowExtra?.test(item.name)) continue
      assert.ok(sig in FUNCTIONS, `${name}: ${sig} is not an EigenLayer function in the notes`)
      assert.equal(toFunctionSelector(item), FUNCTIONS[sig], `${name}: selector of ${sig}`)
      checked++
    } else if (item.type === 'event') {
      const sig = signature(item)
      assert.ok(sig in EVENTS, `${name}: event ${sig} is not an EigenLayer event in the notes`)
      assert.equal(toEventSelector(item), EVENTS[sig], `${name}: topic of ${sig}`)
      checked++
    }
  }
  return checked
}

describe('EigenLayer interface: selectors and topics', function () {
  it('the reference table hashes to itself (guards the table against typos)', function () {
    for (const [sig, selector] of Object.entries(FUNCTIONS))
      assert.equal(toFunctionSelector(sig), selector, sig)
    for (const [sig, topic] of Object.entries(EVENTS)) assert.equal(toEventSelector(sig), topic, sig)
  })

  it("the node's ABIs use only EigenLayer selectors and topics", function () {
    assert.ok(checkAbi('allocationManagerAbi', allocationManagerAbi) >= 13)
    assert.ok(checkAbi('delegationManagerAbi', delegationManagerAbi) >= 7)
    assert.equal(checkAbi('strategyAbi', strategyAbi), 1)
  })

  it('the compiled stand-ins expose the real selectors and events; only mock* controls are extra', async function () {
    const artifacts = await compileStandIns()
    // Wiring getters (delegation, allocationManager, permissionController, the configuration delay,
    // rateWad) are not part of the interface the node or our contracts call.
    const extra =
      /^(mock.*|delegation|rateWad|allocationManager|permissionController|wireAllocationManager|ALLOCATION_CONFIGURATION_DELAY)$/
    checkAbi('StandInDelegationManager', artifacts.StandInDelegationManager.abi, { allowExtra: extra })
    checkAbi('StandInAllocationManager', artifacts.StandInAllocationManager.abi, { allowExtra: extra })
    checkAbi('StandInPermissionController', artifacts.StandInPermissionController.abi, { allowExtra: extra })
    checkAbi('StandInStrategy', artifacts.StandInStrategy.abi, { allowExtra: extra })
    // Our registrar implements IAVSRegistrar with the real selectors.
    const registrar = new Set(
      artifacts.ProverMeshRegistrar.abi
        .filter((i): i is AbiFunction => i.type === 'function')
        .map((i) => toFunctionSelector(i)),
    )
    for (const sig of ['registerOperator', 'deregisterOperator', 'supportsAVS']) {
      const full = Object.keys(FUNCTIONS).find((k) => k.startsWith(`${sig}(`))!
      assert.ok(registrar.has(FUNCTIONS[full] as `0x${string}`), `ProverMeshRegistrar lacks ${full}`)
    }
    // Everything the node calls exists in the stand-ins with the same selector.
    const deployed = new Set(
      Object.values(artifacts).flatMap((a) =>
        a.abi.filter((i): i is AbiFunction => i.type === 'function').map((i) => toFunctionSelector(i)),
      ),
    )
    for (const abi of [allocationManagerAbi, delegationManagerAbi, strategyAbi]) {
      for (const item of abi) {
        if (item.type === 'function')
          assert.ok(deployed.has(toFunctionSelector(item)), `stand-ins lack ${signature(item)}`)
      }
    }
  })
})
