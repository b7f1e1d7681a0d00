// The EigenLayer read interface the stake oracle uses, as viem ABIs. Signatures are copied from
// Layr-Labs/eigenlayer-contracts v1.12.0 (see shared notes/eigenlayer.md §5.2); the local stand-ins in
// node/chain/contracts implement exactly these, and test/stake/selectors.test.ts pins the selectors.
import { parseAbi } from 'viem'

export const allocationManagerAbi = parseAbi([
  'struct OperatorSet { address avs; uint32 id; }',
  'struct Allocation { uint64 currentMagnitude; int128 pendingDiff; uint32 effectBlock; }',
  'function isMemberOfOperatorSet(address operator, OperatorSet operatorSet) view returns (bool)',
  'function isOperatorSlashable(address operator, OperatorSet operatorSet) view returns (bool)',
  'function getMembers(OperatorSet operatorSet) view returns (address[] operators)',
  'function getStrategiesInOperatorSet(OperatorSet operatorSet) view returns (address[] strategies)',
  'function getAllocation(address operator, OperatorSet operatorSet, address strategy) view returns (Allocation)',
  'function getMinimumSlashableStake(OperatorSet operatorSet, address[] operators, address[] strategies, uint32 futureBlock) view returns (uint256[][] slashableStake)',
  'function getAllocatedStake(OperatorSet operatorSet, address[] operators, address[] strategies) view returns (uint256[][] slashableStake)',
  'event OperatorAddedToOperatorSet(address indexed operator, OperatorSet operatorSet)',
  'event OperatorRemovedFromOperatorSet(address indexed operator, OperatorSet operatorSet)',
  'event AllocationUpdated(address operator, OperatorSet operatorSet, address strategy, uint64 magnitude, uint32 effectBlock)',
  'event MaxMagnitudeUpdated(address operator, address strategy, uint64 maxMagnitude)',
  'event OperatorSlashed(address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed, string description)',
  'event StrategyAddedToOperatorSet(OperatorSet operatorSet, address strategy)',
  'event StrategyRemovedFromOperatorSet(OperatorSet operatorSet, address strategy)',
])

export const delegationManagerAbi = parseAbi([
  'function isOperator(address operator) view returns (bool)',
  'function operatorShares(address operator, address strategy) view returns (uint256)',
  'function getOperatorShares(address operator, address[] strategies) view returns (uint256[])',
  'function getOperatorsShares(address[] operators, address[] strategies) view returns (uint256[][])',
  'event OperatorSharesIncreased(address indexed operator, address staker, address strategy, uint256 shares)',
  'event OperatorSharesDecreased(address indexed operator, address staker, address strategy, uint256 shares)',
  'event OperatorSharesSlashed(address indexed operator, address strategy, uint256 totalSlashedShares)',
])

export const strategyAbi = parseAbi([
  'function sharesToUnderlyingView(uint256 amountShares) view returns (uint256)',
])
